using Akka.Configuration;
using SweetGossip.Node.Hosting;

namespace SweetGossip.Node.Journal;

/// <summary>
/// The SQLite journal's settings (<c>akka.persistence.journal.sqlite</c>; defaults in reference.conf only).
/// </summary>
/// <param name="ConnectionString">The journal file; filled in from <c>sweetgossip.data-directory</c> by <see cref="NodeConfig"/>.</param>
/// <param name="BusyTimeout">How long a statement waits for SQLite's write lock (the snapshot store writes to the same file).</param>
/// <param name="MaxRowsPerCommit">Most events one transaction carries; more waiting go into the next.</param>
/// <param name="MaxPendingWrites">Writes waiting for the writer thread; past it a write fails (its actor's persist fails) rather than queue without bound.</param>
public sealed record SqliteJournalSettings(string ConnectionString, TimeSpan BusyTimeout, int MaxRowsPerCommit, int MaxPendingWrites)
{
    public const string Path = "akka.persistence.journal.sqlite";

    /// <param name="plugin">The plugin's own block, as Akka.Persistence hands it to the journal.</param>
    /// <exception cref="NodeConfigException">A value is missing or out of range (the key is named).</exception>
    public static SqliteJournalSettings From(Config plugin)
    {
        var s = new ConfigReader(plugin, "", Environment.CurrentDirectory, Path);
        var connection = s.String("connection-string");
        if (connection.Length == 0) throw s.Error("connection-string", "is empty: set it, or sweetgossip.data-directory for the default journal.db");
        var busy = s.Duration("busy-timeout");
        if (busy <= TimeSpan.Zero) throw s.Error("busy-timeout", "must be positive");
        return new SqliteJournalSettings(connection, busy, s.Int("max-rows-per-commit", 1, 100_000), s.Int("max-pending-writes", 1, 10_000_000));
    }
}
