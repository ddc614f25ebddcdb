using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace SweetGossip.Node.Journal;

/// <summary>
/// The embedded node's journal (<c>akka.persistence.journal.sqlite</c>): an Akka.Persistence journal plugin on one
/// SQLite file, written by one thread with group commit (<see cref="SqliteJournalWriter"/>), on Akka.Persistence.Sql's
/// table layout. Why not Akka.Persistence.Sql itself on SQLite: each event cost there about a millisecond of CPU
/// (query building, a stream stage, a cloned connection), which capped a relay's rate and doubled a job's latency on
/// two cores (docs/decisions.md). PostgreSQL (a hub's shared journal) stays on Akka.Persistence.Sql.
/// Events are serialized on the journal actor before they are queued: an event no serializer accepts is rejected
/// alone (its actor is told and goes on), while a write the database refuses fails its actor's persist.
/// </summary>
public sealed class SqliteJournal : AsyncWriteJournal
{
    private readonly string _connectionString;
    private readonly TimeSpan _busyTimeout;
    private readonly SqliteJournalWriter _writer;
    private readonly Akka.Serialization.Serialization _serialization;

    public SqliteJournal(Config config)
    {
        var settings = SqliteJournalSettings.From(config);
        (_connectionString, _busyTimeout) = (settings.ConnectionString, settings.BusyTimeout);
        _serialization = Context.System.Serialization;
        _writer = new SqliteJournalWriter(settings.ConnectionString, settings.BusyTimeout, settings.MaxRowsPerCommit, settings.MaxPendingWrites);
    }

    /// <summary>Transactions the writer committed (tests).</summary>
    internal long Commits => _writer.Commits;

    protected override async Task<IImmutableList<Exception?>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var rows = new List<SqliteJournalRow>();
        var results = new List<Exception?>();
        var rejected = false;
        var now = DateTime.UtcNow.Ticks;
        foreach (var write in messages)
        {
            try
            {
                var payload = (IImmutableList<IPersistentRepresentation>)write.Payload;
                var serialized = payload.Select(p => Serialize(p, now)).ToList();
                rows.AddRange(serialized);
                results.Add(null);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                results.Add(e);
                rejected = true;
            }
        }
        if (rows.Count > 0) await _writer.Write(rows);
        return rejected ? results.ToImmutableList() : null!;
    }

    private SqliteJournalRow Serialize(IPersistentRepresentation representation, long now)
    {
        var payload = representation.Payload;
        var serializer = _serialization.FindSerializerFor(payload);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, payload);
        return new SqliteJournalRow(representation.PersistenceId, representation.SequenceNr, serializer.ToBinary(payload), manifest, serializer.Identifier, now);
    }

    protected override Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken) => _writer.Delete(persistenceId, toSequenceNr);

    public override Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr, long max,
        Action<IPersistentRepresentation> recoveryCallback)
    {
        if (max <= 0 || toSequenceNr < fromSequenceNr) return Task.CompletedTask;
        // Off the journal actor's thread: a long recovery must not hold up other actors' writes.
        return Task.Run(() =>
        {
            using var connection = SqliteJournalSchema.Open(_connectionString, _busyTimeout);
            using var replay = connection.CreateCommand();
            replay.CommandText = SqliteJournalSchema.Replay;
            replay.Parameters.AddWithValue("$persistence_id", persistenceId);
            replay.Parameters.AddWithValue("$from", fromSequenceNr);
            replay.Parameters.AddWithValue("$to", toSequenceNr);
            replay.Parameters.AddWithValue("$max", max);
            using var reader = replay.ExecuteReader();
            while (reader.Read())
            {
                var sequenceNr = reader.GetInt64(0);
                var bytes = (byte[])reader.GetValue(1);
                var manifest = reader.IsDBNull(2) ? "" : reader.GetString(2);
                var serializerId = reader.IsDBNull(3)
                    ? throw new InvalidOperationException($"journal row {persistenceId}#{sequenceNr} has no serializer id")
                    : reader.GetInt32(3);
                var payload = _serialization.Deserialize(bytes, serializerId, manifest);
                recoveryCallback(new Persistent(payload, sequenceNr, persistenceId, "", false, ActorRefs.NoSender, null, reader.GetInt64(4)));
            }
        });
    }

    public override Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken) =>
        Task.Run(() =>
        {
            using var connection = SqliteJournalSchema.Open(_connectionString, _busyTimeout);
            using var highest = connection.CreateCommand();
            highest.CommandText = SqliteJournalSchema.Highest;
            highest.Parameters.AddWithValue("$persistence_id", persistenceId);
            return highest.ExecuteScalar() is long value ? value : 0L;
        });

    protected override void PostStop()
    {
        _writer.Dispose();
        base.PostStop();
    }
}
