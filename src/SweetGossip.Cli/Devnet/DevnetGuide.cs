using SweetGossip.Cli.Fuzz;

namespace SweetGossip.Cli.Devnet;

/// <summary>What `devnet up` and `down` tell the user: who runs where, and the commands to try, ready to paste.</summary>
public static class DevnetGuide
{
    public static string StatusCommand(string control) => $"sgossip node status --control {control}";

    public static string HubStateCommand(string url, string tokenFile) => $"sgossip ln hub-state --hub {url} --token-file {Quote(tokenFile)}";

    /// <summary>Originate the scenario's taxi topic on the rider, then read the driver's reply (paid and opened) there.</summary>
    public static IReadOnlyList<string> TryCommands(DevnetProcess rider) =>
    [
        $"sgossip topic broadcast --control {rider.Control} {DevnetScenario.PickupArguments}",
        $"sgossip replies --control {rider.Control}",
    ];

    public static IReadOnlyList<string> Up(DevnetManifest manifest, TimeSpan took)
    {
        var nodes = manifest.All.Where(p => p.Kind == DevnetProcess.NodeKind).ToList();
        var hub = manifest.All.Single(p => p.Kind == DevnetProcess.LightningHubKind);
        var width = manifest.All.Max(p => p.Name.Length);
        List<string> lines =
        [
            $"devnet up in {manifest.Directory}: a Lightning hub, {RelayHub(manifest.HubMembers)}{nodes.Count - manifest.HubMembers} nodes, on loopback ({took.TotalSeconds:0.0} s)",
            $"  {hub.Name.PadRight(width)}  {hub.Url}  pid {hub.Pid}",
            .. nodes.Select(n => $"  {n.Name.PadRight(width)}  {n.Role,-11}  listen {n.Listen}  control {n.Control}  metrics {n.Metrics ?? "off"}{(n.HubMember is { } cluster ? $"  cluster {cluster}" : "")}  pid {n.Pid}  dials {(n.Dials is { Count: > 0 } d ? string.Join(", ", d) : "-")}"),
            "",
            "Originate a taxi topic on the rider (node1) and read the driver's reply, paid and opened:",
            .. (manifest.Try ?? []).Select(c => "  " + c),
            "",
            $"Each node: `sgossip node status --control <its control>`; logs in {Quote(Path.Combine(manifest.Directory!, "logs"))}; everything in {Quote(Path.Combine(manifest.Directory!, "devnet.json"))}.",
            $"Stop it: sgossip devnet down --dir {Quote(manifest.Directory!)}",
        ];
        if (ProgramNote() is { } note) lines.Add(note);
        return lines;
    }

    private static string RelayHub(int members) => members switch
    {
        0 => "",
        1 => "a relay hub of 1 member, ",
        _ => $"a relay hub of {members} members (one identity, one Akka.Cluster; every node lists all of them), ",
    };

    public static IReadOnlyList<string> Down(string directory, IReadOnlyList<StopOutcome> outcomes, bool purged) =>
    [
        .. outcomes.Select(o => $"{o.Name} (pid {o.Pid}): {o.How}"),
        purged ? $"removed the devnet's files from {directory}" : $"kept keys, ledger, journals and logs in {directory} (--purge removes them)",
    ];

    /// <summary>A word for a shell: as is when it holds nothing a shell would split or expand, else in single quotes.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "/._-:@+=,".Contains(c))
            ? word
            : $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    /// <summary>Where `sgossip` is, when the commands above would not find it on PATH (e.g. run through `dotnet run`).</summary>
    private static string? ProgramNote()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, "sgossip")));
        if (onPath) return null;
        var self = string.Join(' ', new[] { SelfProgram.Path }.Concat(SelfProgram.Prefix).Select(Quote));
        return $"(`sgossip` above is {self}: e.g. alias sgossip={Quote(self)})";
    }
}
