using Akka.Actor;
using Akka.Persistence;
using BenchmarkDotNet.Attributes;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Settlement;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Benchmarks;

// The settlement actor journaling to SQLite (WAL) on this machine's disk, with 0, 10k or 100k finished entries
// retained in its ledger (seeded as a snapshot it recovers from). One invoke issues a batch of hold invoices
// through the actor and waits for every answer; each answer follows one journaled event, so
// Mean / Batch is the time per journaled event: events/s = 1e9 / Mean(ns). Snapshots (every 1,000 events,
// the whole retained ledger) are part of the cost. Flat across the three sizes is the goal (issue 9).
//   dotnet run -c Release --project tests/SweetGossip.Benchmarks -- --filter '*SettlementBenchmarks*' --job short
[MemoryDiagnoser]
public class SettlementBenchmarks
{
    private const int Batch = 200;

    private string _directory = null!;
    private ActorSystem _system = null!;
    private EmbeddedLightningNetwork _network = null!;
    private IActorRef _settlement = null!;

    [Params(0, 10_000, 100_000)]
    public int FinishedEntries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "sweetgossip-bench", Guid.NewGuid().ToString("N"));
        _system = ActorSystem.Create("bench", NodeConfig.Build("akka.loglevel = WARNING", _directory));
        _network = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions { SignInvoices = false, Seed = 1 });
        const string id = "settlement-bench";
        if (FinishedEntries > 0)
            _system.ActorOf(Props.Create(() => new SnapshotSeeder(id, Finished(FinishedEntries)))).Ask<SaveSnapshotSuccess>("go", TimeSpan.FromMinutes(5)).Wait();
        _settlement = _system.ActorOf(SweetGossip.Node.Settlement.SettlementActor.Props(id, _network.CreateNode(0), TimeProvider.System,
            SettlementSettings.Default with { SweepInterval = TimeSpan.FromHours(1) }));
        var recovered = _settlement.Ask<SettlementLedger>(GetSettlementLedger.Instance, TimeSpan.FromMinutes(5)).Result;
        if (recovered.Entries.Count != FinishedEntries) throw new InvalidOperationException($"recovered {recovered.Entries.Count} entries, seeded {FinishedEntries}");
        IssueBatch(); // warm the journal: tables created, connections open
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _system.Terminate().Wait();
        _network.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int IssueInvoice_PerJournaledEvent() => IssueBatch();

    private int IssueBatch()
    {
        var answers = Enumerable.Range(0, Batch)
            .Select(_ => _settlement.Ask<InvoiceIssued>(new IssueInvoice(Hash32.Random(), 1_000, "bench", TimeSpan.FromHours(1), 40), TimeSpan.FromMinutes(1)))
            .ToArray();
        Task.WaitAll(answers);
        return answers.Length;
    }

    /// <summary>Settled invoices, finished now (inside the retention, so none is pruned).</summary>
    private static SettlementSnapshot Finished(int count)
    {
        var now = DateTimeOffset.UtcNow;
        return new SettlementSnapshot(Enumerable.Range(0, count).Select(_ =>
        {
            var preimage = Hash32.Random();
            return new SettlementEntry(preimage.Sha256(), now)
            {
                Invoice = new RecordedInvoice(1_000, "lnbcrt10n1bench", now.AddHours(1), 40, RecordedInvoiceState.Settled, now.AddHours(6), preimage),
                Secret = preimage,
            };
        }).ToList());
    }

    /// <summary>Writes one snapshot under the settlement's persistence id, as if it had run that long.</summary>
    private sealed class SnapshotSeeder : ReceivePersistentActor
    {
        private IActorRef? _asker;

        public SnapshotSeeder(string persistenceId, SettlementSnapshot snapshot)
        {
            PersistenceId = persistenceId;
            Command<string>(_ =>
            {
                _asker = Sender;
                SaveSnapshot(snapshot);
            });
            Command<SaveSnapshotSuccess>(s => _asker!.Tell(s));
            Command<SaveSnapshotFailure>(f => _asker!.Tell(new Status.Failure(f.Cause)));
        }

        public override string PersistenceId { get; }
    }
}
