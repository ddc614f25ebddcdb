using Microsoft.Data.Sqlite;

namespace SweetGossip.Node.Journal;

/// <summary>
/// The journal table exactly as Akka.Persistence.Sql lays it out with <c>table-mapping = sqlite</c> (same columns,
/// types and indexes), so a journal.db written by either plugin is read by the other: a node upgraded from the
/// Akka.Persistence.Sql journal recovers what it wrote, and an operator can switch back by configuration.
/// </summary>
internal static class SqliteJournalSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS [event_journal]
        (
            [ordering]       INTEGER        NOT NULL PRIMARY KEY AUTOINCREMENT,
            [timestamp]      INTEGER        NOT NULL,
            [is_deleted]     Bit            NOT NULL,
            [persistence_id] NVarChar(255)  NOT NULL,
            [sequence_nr]    INTEGER        NOT NULL,
            [payload]        VarBinary      NOT NULL,
            [manifest]       NVarChar(500)      NULL,
            [serializer_id]  INTEGER            NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS event_journal_uq ON event_journal (persistence_id, sequence_nr);
        CREATE INDEX IF NOT EXISTS event_journal_timestamp_idx ON event_journal (timestamp);
        CREATE INDEX IF NOT EXISTS event_journal_sequence_nr_idx ON event_journal (sequence_nr);
        """;

    public const string Insert = """
        INSERT INTO event_journal (timestamp, is_deleted, persistence_id, sequence_nr, payload, manifest, serializer_id)
        VALUES ($timestamp, 0, $persistence_id, $sequence_nr, $payload, $manifest, $serializer_id)
        """;

    // Deleted events are marked, then all but the highest of them removed: the highest sequence number must survive
    // a deletion (a persistent actor recovering after it continues from there), as Akka.Persistence.Sql keeps it.
    public const string MarkDeleted = "UPDATE event_journal SET is_deleted = 1 WHERE persistence_id = $persistence_id AND sequence_nr <= $to";

    public const string RemoveDeleted = """
        DELETE FROM event_journal WHERE persistence_id = $persistence_id AND sequence_nr <= $to
          AND sequence_nr < (SELECT MAX(sequence_nr) FROM event_journal WHERE persistence_id = $persistence_id AND is_deleted = 1)
        """;

    public const string Replay = """
        SELECT sequence_nr, payload, manifest, serializer_id, timestamp FROM event_journal
        WHERE persistence_id = $persistence_id AND sequence_nr >= $from AND sequence_nr <= $to AND is_deleted = 0
        ORDER BY sequence_nr LIMIT $max
        """;

    // Over every row of the actor, deleted or not, whatever the caller's lower bound: the highest is never below it.
    public const string Highest = "SELECT MAX(sequence_nr) FROM event_journal WHERE persistence_id = $persistence_id";

    /// <summary>Opens a connection that waits for SQLite's write lock rather than failing at once (the snapshot store writes to the same file).</summary>
    public static SqliteConnection Open(string connectionString, TimeSpan busyTimeout)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds};";
        pragma.ExecuteNonQuery();
        return connection;
    }
}
