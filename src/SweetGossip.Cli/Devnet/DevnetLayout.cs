namespace SweetGossip.Cli.Devnet;

/// <summary>
/// Where a devnet keeps its files in its directory: the authority, one folder per node (config, key, certificate,
/// data with the journal and control token), the Lightning hub's data, every process's log, and devnet.json.
/// </summary>
public sealed class DevnetLayout(string directory)
{
    public const string LightningHubName = "lightning-hub";

    public string Directory { get; } = Path.GetFullPath(directory);

    public string Manifest => Path.Combine(Directory, "devnet.json");

    /// <summary>Held by `devnet up` and `devnet down` while they work, so two of them never work on one directory at once.</summary>
    public string Lock => Path.Combine(Directory, "devnet.lock");

    public string Authority => Path.Combine(Directory, "authority.ca");

    public string Logs => Path.Combine(Directory, "logs");

    public string LogOf(string name) => Path.Combine(Logs, $"{name}.log");

    public string LightningHubData => Path.Combine(Directory, LightningHubName);

    public string FolderOf(string name) => Path.Combine(Directory, name);

    public string ConfigOf(string name) => Path.Combine(FolderOf(name), "node.conf");

    public string KeyOf(string name) => Path.Combine(FolderOf(name), "node.key");

    public string CertificateOf(string name) => Path.Combine(FolderOf(name), "node.cert");

    /// <summary>Everything `devnet up` creates here, for `devnet down --purge` to remove (and nothing else).</summary>
    public IEnumerable<string> Entries(IEnumerable<string> names) =>
        [Manifest, Authority, Logs, LightningHubData, .. names.Select(FolderOf), Lock];
}
