using System.Reflection;
using Akka.Configuration;
using SweetGossip.Daemon.Hosting;
using SweetGossip.Node.Hosting;

namespace SweetGossip.LightningHub;

/// <summary>What the hub is told: how long its update logs are and how often it snapshots (<c>sweetgossip.hub</c>; defaults in reference.conf only).</summary>
public sealed record HubSettings(int UpdateLogWindow, int SnapshotEvery);

/// <summary>
/// The hub's HOCON: the operator's file (<c>--config</c>) over the embedded reference.conf, with the journal and
/// snapshots in a SQLite file of the data directory unless the file points them elsewhere (PostgreSQL).
/// </summary>
public static class HubConfig
{
    public const string JournalFile = "journal.db";

    public static Config Reference { get; } = LoadReference();

    /// <param name="operatorHocon">The operator's file, if any.</param>
    /// <param name="dataDirectory">Where the SQLite file goes when the file names no database (absolute, existing).</param>
    /// <exception cref="StartupException">The file is not HOCON.</exception>
    public static Config Build(string? operatorHocon, string dataDirectory)
    {
        Config config;
        try
        {
            config = DaemonConfig.Process
                .WithFallback(string.IsNullOrWhiteSpace(operatorHocon) ? Config.Empty : ConfigurationFactory.ParseString(operatorHocon))
                .WithFallback(Reference);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not StartupException)
        {
            throw new StartupException($"--config: not valid HOCON: {e.Message}");
        }
        if (!string.IsNullOrEmpty(config.GetString("akka.persistence.journal.sql.connection-string"))
            && !string.IsNullOrEmpty(config.GetString("akka.persistence.snapshot-store.sql.connection-string")))
            return config;
        // The journal holds the nodes' keys: WithSqliteJournal creates it readable by the hub's user only (SQLite gives its -wal and -shm the same mode).
        return NodeConfig.WithSqliteJournal(config, Path.Combine(dataDirectory, JournalFile));
    }

    /// <exception cref="StartupException">A value is out of range; the message names its key.</exception>
    public static HubSettings Settings(Config config) => new(
        Int(config, "sweetgossip.hub.update-log-window", 1, 10_000_000),
        Int(config, "sweetgossip.hub.snapshot-every", 1, 10_000_000));

    private static int Int(Config config, string key, int min, int max)
    {
        var text = config.GetString(key) ?? "";
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new StartupException($"{key}: '{text}' is not a whole number in {min}..{max}");
    }

    private static Config LoadReference()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("SweetGossip.LightningHub.reference.conf")
            ?? throw new InvalidOperationException("embedded reference.conf is missing");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
