using System.Text.Json;
using System.Text.Json.Serialization;

namespace SweetGossip.Cli.Devnet;

/// <summary>
/// One process of a devnet as devnet.json records it: what `devnet down` needs (pid and start stamp, to signal only
/// that process) and what a user needs to reach it (addresses, token file, a command line).
/// </summary>
/// <param name="Kind">"lightning-hub" or "node".</param>
/// <param name="Cli">A command that talks to it, e.g. `sgossip node status --control …`.</param>
/// <param name="Metrics">Its Prometheus endpoint (a node), or "off".</param>
/// <param name="HubMember">Its Akka.Cluster address, for a member of a relay hub on several processes.</param>
public sealed record DevnetProcess(
    string Name, string Kind, string Role, int Pid, string StartStamp, string Log,
    string? Config = null, string? Identity = null, IReadOnlyList<string>? Dials = null,
    string? Listen = null, string? Control = null, string? ControlTokenFile = null,
    string? Url = null, string? TokenFile = null, string? Cli = null, string? Metrics = null, string? HubMember = null)
{
    public const string LightningHubKind = "lightning-hub";

    public const string NodeKind = "node";

    [JsonIgnore]
    public ProcessIdentity Handle => new(Pid, StartStamp);
}

/// <summary>
/// devnet.json: what `devnet up` started in a directory, in start order, rewritten after every start (so a `devnet up`
/// killed half-way still leaves `devnet down` every pid), plus the commands to try.
/// </summary>
public sealed record DevnetManifest(
    string? Type, string? Directory, string? CreatedAt, string? Authority, string? AuthorityKey, int HubMembers,
    IReadOnlyList<DevnetProcess>? Processes, IReadOnlyList<string>? Try)
{
    public const string FileType = "sweetgossip-devnet";

    /// <summary>Far above any devnet's (64 nodes); a bigger file is not one `devnet up` wrote.</summary>
    private const long MaxBytes = 1 << 20;

    private const int MaxProcesses = 1 + DevnetPlan.MaxHubMembers + DevnetPlan.MaxNodes;

    [JsonIgnore]
    public IReadOnlyList<DevnetProcess> All => Processes ?? [];

    public void Write(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, CliContext.ToJson(this) + Environment.NewLine);
        File.Move(temporary, path, overwrite: true); // whole or not at all, should this process die while writing
    }

    /// <exception cref="CliException">The file is missing, too big, or not what `devnet up` writes; the message says which.</exception>
    public static DevnetManifest Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new CliException($"no devnet in {Path.GetDirectoryName(path)}: {Path.GetFileName(path)} is missing");
        if (info.Length > MaxBytes) throw new CliException($"{path}: {info.Length} bytes, larger than any devnet.json (at most {MaxBytes})");
        DevnetManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<DevnetManifest>(File.ReadAllText(path), CliContext.ReadOptions);
        }
        catch (JsonException e)
        {
            throw new CliException($"{path}: not a devnet.json ({e.Message})");
        }
        if (manifest is null || manifest.Type != FileType)
            throw new CliException($"{path}: not a devnet.json (its type is not '{FileType}')");
        if (manifest.All.Count > MaxProcesses)
            throw new CliException($"{path}: {manifest.All.Count} processes, more than a devnet has ({MaxProcesses})");
        foreach (var p in manifest.All)
        {
            if (p is null || p.Name is null || p.StartStamp is null || p.Log is null)
                throw new CliException($"{path}: a process entry lacks its name, start stamp or log");
            // Names become folder names under the devnet's directory (--purge removes them): never a path.
            if (p.Name.Length is 0 or > 32 || !p.Name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
                throw new CliException($"{path}: '{CliContext.Visible(p.Name)}' is not a devnet process name");
            if (p.Pid <= 1 || p.Pid == Environment.ProcessId)
                throw new CliException($"{path}: {p.Name}: pid {p.Pid} is not a devnet process");
        }
        return manifest;
    }
}
