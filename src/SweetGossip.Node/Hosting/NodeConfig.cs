using System.Reflection;
using Akka.Configuration;
using SweetGossip.Node.Journal;

namespace SweetGossip.Node.Hosting;

/// <summary>
/// Builds the node's HOCON: an operator's file over the embedded reference.conf, with the SQLite
/// journal pointed at the data directory unless a connection string is set explicitly.
/// </summary>
public static class NodeConfig
{
    public static Config Reference { get; } = LoadReference();

    /// <summary>The embedded defaults, with <paramref name="overrides"/> (HOCON text) on top.</summary>
    public static Config Build(string? overrides = null, string? dataDirectory = null)
    {
        var config = string.IsNullOrWhiteSpace(overrides)
            ? Reference
            : ConfigurationFactory.ParseString(overrides).WithFallback(Reference);
        var directory = dataDirectory ?? config.GetString("sweetgossip.data-directory");
        return WithSqliteJournal(config, Path.Combine(directory, "journal.db"));
    }

    /// <summary>
    /// Points journal and snapshot store at one SQLite file (WAL, so readers never block the writer). An explicit
    /// <c>akka.persistence.journal.sql</c> database (PostgreSQL for a hub) is kept, and journals through Akka.Persistence.Sql.
    /// </summary>
    public static Config WithSqliteJournal(Config config, string databaseFile)
    {
        var journal = config.GetString("akka.persistence.journal.sql.connection-string");
        var snapshots = config.GetString("akka.persistence.snapshot-store.sql.connection-string");
        if (!string.IsNullOrEmpty(journal) && !string.IsNullOrEmpty(snapshots))
            return UsingSqlJournal(config);
        // The journal holds preimages and payment state: its file (and the directory made for it) is the owner's only.
        SecretFile.EnsureExists(databaseFile);
        var connection = $"Data Source={Path.GetFullPath(databaseFile)};Pooling=True";
        EnableWriteAheadLog(connection);
        var embedded = config.GetString($"{SqliteJournalSettings.Path}.connection-string");
        var hocon = $$"""
            akka.persistence.journal.sql.connection-string = "{{Escape(connection)}}"
            akka.persistence.snapshot-store.sql.connection-string = "{{Escape(connection)}}"
            {{SqliteJournalSettings.Path}}.connection-string = "{{Escape(string.IsNullOrEmpty(embedded) ? connection : embedded)}}"
            """;
        return ConfigurationFactory.ParseString(hocon).WithFallback(config);
    }

    /// <summary>A journal database set for Akka.Persistence.Sql is the one journaled to, unless another plugin was chosen explicitly.</summary>
    private static Config UsingSqlJournal(Config config) =>
        config.GetString("akka.persistence.journal.plugin") == SqliteJournalSettings.Path
            ? ConfigurationFactory.ParseString("akka.persistence.journal.plugin = \"akka.persistence.journal.sql\"").WithFallback(config)
            : config;

    /// <summary>
    /// Points journal and snapshot store at PostgreSQL instead of the embedded SQLite file (an operator's
    /// choice for a hub shared by several nodes or one that wants a server-grade database).
    /// The same keys can be set in HOCON directly: provider-name, table-mapping, connection-string.
    /// </summary>
    public static Config WithPostgreSql(Config config, string connectionString)
    {
        var hocon = $$"""
            akka.persistence.journal.sql { provider-name = "PostgreSQL.15", table-mapping = postgresql, connection-string = "{{Escape(connectionString)}}" }
            akka.persistence.snapshot-store.sql { provider-name = "PostgreSQL.15", table-mapping = postgresql, connection-string = "{{Escape(connectionString)}}" }
            """;
        return UsingSqlJournal(ConfigurationFactory.ParseString(hocon).WithFallback(config));
    }

    /// <summary>WAL is a property of the database file: set it once, before the journal opens it.</summary>
    private static void EnableWriteAheadLog(string connectionString)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"");

    private static Config LoadReference()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("SweetGossip.Node.reference.conf")
            ?? throw new InvalidOperationException("embedded reference.conf is missing");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
