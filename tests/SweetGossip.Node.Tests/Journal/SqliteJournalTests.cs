using Akka.Actor;
using Akka.Persistence;
using Microsoft.Data.Sqlite;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Journal;
using SweetGossip.Node.Tests.Support;

namespace SweetGossip.Node.Tests.Journal;

/// <summary>
/// The embedded SQLite journal on real files: recovery after a restart, the table shared with Akka.Persistence.Sql in
/// both directions, deletion keeping the highest sequence number, group commit, a refused write failing alone.
/// </summary>
public class SqliteJournalTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const string SqlPlugin = "akka.persistence.journal.plugin = \"akka.persistence.journal.sql\"";

    private sealed record Write(string Event);
    private sealed record DeleteUpTo(long SequenceNr);
    private sealed record State(IReadOnlyList<string> Events, long LastSequenceNr);

    /// <summary>Persists what it is told, one event per message, and answers with its state once recovered.</summary>
    private sealed class Recorder : ReceivePersistentActor
    {
        private readonly List<string> _events = [];
        private IActorRef? _deleteWaiter;

        public Recorder(string persistenceId)
        {
            PersistenceId = persistenceId;
            Recover<string>(e => _events.Add(e));
            Command<Write>(w => Persist(w.Event, e =>
            {
                _events.Add(e);
                Sender.Tell(LastSequenceNr);
            }));
            Command<DeleteUpTo>(d =>
            {
                _deleteWaiter = Sender;
                DeleteMessages(d.SequenceNr);
            });
            Command<DeleteMessagesSuccess>(s => _deleteWaiter?.Tell(s.ToSequenceNr));
            Command<DeleteMessagesFailure>(f => _deleteWaiter?.Tell(new Status.Failure(f.Cause)));
            Command<State>(_ => Sender.Tell(new State([.. _events], LastSequenceNr)));
        }

        public override string PersistenceId { get; }
    }

    private static async Task<State> StateOf(ActorSystem system, string persistenceId) =>
        await system.ActorOf(Props.Create(() => new Recorder(persistenceId))).Ask<State>(new State([], 0), Timeout);

    /// <summary>Runs <paramref name="body"/> on a fresh actor system, terminated afterwards (its journal file stays).</summary>
    private static async Task On(string name, Akka.Configuration.Config config, Func<ActorSystem, Task> body)
    {
        var system = ActorSystem.Create(name, config);
        try
        {
            await body(system);
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static async Task<long> Persist(IActorRef recorder, string e) => await recorder.Ask<long>(new Write(e), Timeout);

    [Fact]
    public void The_embedded_default_journals_through_the_sqlite_plugin_and_an_explicit_database_through_Akka_Persistence_Sql()
    {
        using var directory = new TempDirectory();
        var embedded = NodeConfig.Build(dataDirectory: directory.Path);
        Assert.Equal(SqliteJournalSettings.Path, embedded.GetString("akka.persistence.journal.plugin"));
        Assert.Contains("journal.db", SqliteJournalSettings.From(embedded.GetConfig(SqliteJournalSettings.Path)).ConnectionString);

        var postgres = NodeConfig.WithPostgreSql(NodeConfig.Reference, "Host=db;Database=hub");
        Assert.Equal("akka.persistence.journal.sql", postgres.GetString("akka.persistence.journal.plugin"));
    }

    [Fact]
    public async Task Events_persisted_before_a_restart_are_recovered_in_order_and_numbering_goes_on()
    {
        using var directory = new TempDirectory();
        await On("journal1", NodeConfig.Build(dataDirectory: directory.Path), async system =>
        {
            var recorder = system.ActorOf(Props.Create(() => new Recorder("r")));
            for (var i = 1; i <= 30; i++) Assert.Equal(i, await Persist(recorder, $"e{i}"));
        });

        await On("journal2", NodeConfig.Build(dataDirectory: directory.Path), async restarted =>
        {
            var state = await StateOf(restarted, "r");
            Assert.Equal(Enumerable.Range(1, 30).Select(i => $"e{i}"), state.Events);
            Assert.Equal(30, state.LastSequenceNr);
            var again = restarted.ActorOf(Props.Create(() => new Recorder("r")));
            Assert.Equal(31, await Persist(again, "e31"));
        });
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_journal_written_by_one_plugin_is_recovered_by_the_other(bool writtenByAkkaPersistenceSql)
    {
        using var directory = new TempDirectory();
        var (writer, reader) = writtenByAkkaPersistenceSql ? (SqlPlugin, "") : ("", SqlPlugin);
        await On("written", NodeConfig.Build(writer, directory.Path), async system =>
        {
            var recorder = system.ActorOf(Props.Create(() => new Recorder("shared")));
            for (var i = 1; i <= 5; i++) await Persist(recorder, $"e{i}");
        });

        await On("read", NodeConfig.Build(reader, directory.Path), async other =>
        {
            Assert.Equal(["e1", "e2", "e3", "e4", "e5"], (await StateOf(other, "shared")).Events);
            Assert.Equal(6, await Persist(other.ActorOf(Props.Create(() => new Recorder("shared"))), "e6"));
        });
    }

    [Fact]
    public async Task Deleted_events_are_not_recovered_but_their_highest_sequence_number_survives()
    {
        using var directory = new TempDirectory();
        await On("delete1", NodeConfig.Build(dataDirectory: directory.Path), async system =>
        {
            var recorder = system.ActorOf(Props.Create(() => new Recorder("d")));
            for (var i = 1; i <= 10; i++) await Persist(recorder, $"e{i}");
            Assert.Equal(10L, await recorder.Ask<long>(new DeleteUpTo(10), Timeout));
        });
        Assert.Equal(1, RowCount(directory.Path, "d")); // the highest, marked deleted

        await On("delete2", NodeConfig.Build(dataDirectory: directory.Path), async restarted =>
        {
            var state = await StateOf(restarted, "d");
            Assert.Empty(state.Events);
            Assert.Equal(10, state.LastSequenceNr);
            Assert.Equal(11, await Persist(restarted.ActorOf(Props.Create(() => new Recorder("d"))), "e11"));
        });
    }

    [Fact]
    public async Task Writes_queued_while_one_waits_for_the_database_commit_together()
    {
        using var directory = new TempDirectory();
        var connection = Connection(directory.Path);
        using var writer = new SqliteJournalWriter(connection, TimeSpan.FromSeconds(60), 1000, 1000);
        Task[] writes;
        using (var holder = SqliteJournalSchema.Open(connection, TimeSpan.FromSeconds(1)))
        {
            using var hold = holder.BeginTransaction(deferred: false); // SQLite's write lock, held by another connection
            writes = [.. Enumerable.Range(1, 50).Select(i => writer.Write([Row($"p{i}", 1)]))];
            Assert.DoesNotContain(writes, w => w.IsCompleted);
            hold.Commit();
        }
        await Task.WhenAll(writes).WaitAsync(Timeout);
        Assert.InRange(writer.Commits, 1, 2); // the first alone at most, the other 49 in one transaction
        Assert.Equal(50, RowCount(directory.Path, null));
    }

    [Fact]
    public async Task A_write_the_database_refuses_fails_alone_and_leaves_no_row_behind()
    {
        using var directory = new TempDirectory();
        var connection = Connection(directory.Path);
        using var writer = new SqliteJournalWriter(connection, TimeSpan.FromSeconds(60), 1000, 1000);
        Task before, duplicate, after;
        using (var holder = SqliteJournalSchema.Open(connection, TimeSpan.FromSeconds(1)))
        {
            using var hold = holder.BeginTransaction(deferred: false);
            before = writer.Write([Row("a", 1)]);
            duplicate = writer.Write([Row("b", 1), Row("b", 2), Row("b", 1)]); // a stale incarnation's sequence number
            after = writer.Write([Row("c", 1)]);
            hold.Commit();
        }
        await Task.WhenAll(before, after).WaitAsync(Timeout);
        var refused = await Assert.ThrowsAsync<SqliteException>(() => duplicate.WaitAsync(Timeout));
        Assert.Contains("UNIQUE", refused.Message);
        Assert.Equal(1, RowCount(directory.Path, "a"));
        Assert.Equal(0, RowCount(directory.Path, "b"));
        Assert.Equal(1, RowCount(directory.Path, "c"));
    }

    [Fact]
    public async Task Writes_past_the_pending_bound_are_refused_with_the_setting_named()
    {
        using var directory = new TempDirectory();
        var connection = Connection(directory.Path);
        using var writer = new SqliteJournalWriter(connection, TimeSpan.FromSeconds(60), maxRowsPerCommit: 1, maxPendingWrites: 1);
        using var holder = SqliteJournalSchema.Open(connection, TimeSpan.FromSeconds(1));
        var hold = holder.BeginTransaction(deferred: false);
        // The writer takes one write (one row per commit) and waits for the lock; its queue holds one more: of three, one is refused.
        var writes = Enumerable.Range(1, 3).Select(i => writer.Write([Row($"p{i}", 1)])).ToList();
        var refused = writes.Where(w => w.IsFaulted).ToList();
        Assert.NotEmpty(refused);
        Assert.Contains("max-pending-writes", refused[0].Exception!.InnerException!.Message);
        hold.Commit();
        hold.Dispose();
        await Task.WhenAll(writes.Except(refused)).WaitAsync(Timeout);
    }

    [Fact]
    public void A_missing_connection_string_or_a_bad_bound_is_refused_with_its_key()
    {
        var plugin = NodeConfig.Reference.GetConfig(SqliteJournalSettings.Path);
        var empty = Assert.Throws<NodeConfigException>(() => SqliteJournalSettings.From(plugin));
        Assert.Contains("akka.persistence.journal.sqlite.connection-string", empty.Message);
        var zero = Assert.Throws<NodeConfigException>(() => SqliteJournalSettings.From(
            Akka.Configuration.ConfigurationFactory.ParseString("connection-string = \"Data Source=x.db\"\nmax-rows-per-commit = 0").WithFallback(plugin)));
        Assert.Contains("max-rows-per-commit", zero.Message);
    }

    private static string Connection(string directory)
    {
        var connection = $"Data Source={Path.Combine(directory, "journal.db")};Pooling=False";
        using var wal = new SqliteConnection(connection);
        wal.Open();
        using var pragma = wal.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private static SqliteJournalRow Row(string persistenceId, long sequenceNr) => new(persistenceId, sequenceNr, [1, 2, 3], "", 1, DateTime.UtcNow.Ticks);

    private static long RowCount(string directory, string? persistenceId)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "journal.db")};Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = persistenceId is null
            ? "SELECT COUNT(*) FROM event_journal"
            : "SELECT COUNT(*) FROM event_journal WHERE persistence_id = $p";
        count.Parameters.AddWithValue("$p", persistenceId ?? "");
        return (long)count.ExecuteScalar()!;
    }
}
