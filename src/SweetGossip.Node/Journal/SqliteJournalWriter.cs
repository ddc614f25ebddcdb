using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace SweetGossip.Node.Journal;

/// <summary>
/// The journal's one writer: a thread that owns one SQLite connection and commits what is queued. Group commit:
/// every write that arrives while a transaction commits goes into the next one, so a busy node pays one commit (one
/// fsync) for many events, and a quiet one commits each write at once. Each write is a savepoint of its own: a write
/// the database refuses (a duplicate sequence number from a stale actor incarnation) fails alone, and the others in
/// its transaction commit. A write is acknowledged only after its transaction committed.
/// </summary>
internal sealed class SqliteJournalWriter : IDisposable
{
    private readonly BlockingCollection<Operation> _queue;
    private readonly SqliteConnection _connection;
    private readonly int _maxRowsPerCommit;
    private readonly Thread _thread;
    private long _commits;

    public SqliteJournalWriter(string connectionString, TimeSpan busyTimeout, int maxRowsPerCommit, int maxPendingWrites)
    {
        _connection = SqliteJournalSchema.Open(connectionString, busyTimeout);
        using (var create = _connection.CreateCommand())
        {
            create.CommandText = SqliteJournalSchema.Create;
            create.ExecuteNonQuery();
        }
        (_maxRowsPerCommit, _queue) = (maxRowsPerCommit, new BlockingCollection<Operation>(maxPendingWrites));
        _thread = new Thread(Run) { IsBackground = true, Name = "sqlite-journal-writer" };
        _thread.Start();
    }

    /// <summary>Transactions committed so far (tests: writes queued together commit together).</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Queues one journal write (all rows of one or more atomic writes, in order); completes once committed.</summary>
    public Task Write(IReadOnlyList<SqliteJournalRow> rows)
    {
        var write = new RowsWrite(rows);
        return Enqueue(write);
    }

    /// <summary>Queues the deletion of a persistent actor's events up to <paramref name="toSequenceNr"/>.</summary>
    public Task Delete(string persistenceId, long toSequenceNr) => Enqueue(new Deletion(persistenceId, toSequenceNr));

    private Task Enqueue(Operation operation)
    {
        try
        {
            if (!_queue.TryAdd(operation))
                return Task.FromException(new InvalidOperationException(
                    $"journal write refused: {_queue.BoundedCapacity} writes already wait for the SQLite writer (max-pending-writes)"));
        }
        catch (InvalidOperationException)
        {
            return Task.FromException(new ObjectDisposedException(nameof(SqliteJournalWriter), "the journal is stopping"));
        }
        return operation.Done.Task;
    }

    private void Run()
    {
        var batch = new List<Operation>();
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            batch.Clear();
            batch.Add(first);
            var rows = first.Rows;
            while (rows < _maxRowsPerCommit && _queue.TryTake(out var next))
            {
                batch.Add(next);
                rows += next.Rows;
            }
            Commit(batch);
        }
    }

    private void Commit(List<Operation> batch)
    {
        var done = new List<Operation>(batch.Count);
        try
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            foreach (var operation in batch)
            {
                transaction.Save("op");
                try
                {
                    operation.Apply(_connection, transaction);
                    transaction.Release("op");
                    done.Add(operation);
                }
                catch (SqliteException e)
                {
                    transaction.Rollback("op");
                    transaction.Release("op");
                    operation.Done.TrySetException(e);
                }
            }
            transaction.Commit();
            Interlocked.Increment(ref _commits);
        }
        catch (Exception e)
        {
            // Nothing of this transaction is durable: every write in it fails (its actor stops rather than believe it).
            foreach (var operation in batch) operation.Done.TrySetException(e);
            return;
        }
        foreach (var operation in done) operation.Done.TrySetResult();
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _thread.Join();
        _queue.Dispose();
        _connection.Dispose();
    }

    private abstract class Operation
    {
        // Continuations run elsewhere: never on the writer thread, which would then wait for them before its next commit.
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public abstract int Rows { get; }
        public abstract void Apply(SqliteConnection connection, SqliteTransaction transaction);
    }

    private sealed class RowsWrite(IReadOnlyList<SqliteJournalRow> rows) : Operation
    {
        public override int Rows => rows.Count;

        public override void Apply(SqliteConnection connection, SqliteTransaction transaction)
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = SqliteJournalSchema.Insert;
            var timestamp = insert.Parameters.Add("$timestamp", SqliteType.Integer);
            var persistenceId = insert.Parameters.Add("$persistence_id", SqliteType.Text);
            var sequenceNr = insert.Parameters.Add("$sequence_nr", SqliteType.Integer);
            var payload = insert.Parameters.Add("$payload", SqliteType.Blob);
            var manifest = insert.Parameters.Add("$manifest", SqliteType.Text);
            var serializerId = insert.Parameters.Add("$serializer_id", SqliteType.Integer);
            foreach (var row in rows)
            {
                (timestamp.Value, persistenceId.Value, sequenceNr.Value) = (row.Timestamp, row.PersistenceId, row.SequenceNr);
                (payload.Value, manifest.Value, serializerId.Value) = (row.Payload, row.Manifest, row.SerializerId);
                insert.ExecuteNonQuery();
            }
        }
    }

    private sealed class Deletion(string persistenceId, long toSequenceNr) : Operation
    {
        public override int Rows => 1;

        public override void Apply(SqliteConnection connection, SqliteTransaction transaction)
        {
            foreach (var text in new[] { SqliteJournalSchema.MarkDeleted, SqliteJournalSchema.RemoveDeleted })
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = text;
                command.Parameters.AddWithValue("$persistence_id", persistenceId);
                command.Parameters.AddWithValue("$to", toSequenceNr);
                command.ExecuteNonQuery();
            }
        }
    }
}
