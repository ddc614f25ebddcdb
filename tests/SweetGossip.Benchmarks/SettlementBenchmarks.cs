using Akka.Actor;
using BenchmarkDotNet.Attributes;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Settlement;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Benchmarks;

// The settlement actor journaling to SQLite (WAL) on this machine's disk. One invoke issues a batch of
// hold invoices through one settlement actor and waits for every answer; each answer follows one
// journaled event, so Mean / Batch is the time per journaled event: events/s = 1e9 * Batch / Mean(ns).
//   dotnet run -c Release --project tests/SweetGossip.Benchmarks -- --filter '*SettlementBenchmarks*' --job short
[MemoryDiagnoser]
public class SettlementBenchmarks
{
    private const int Batch = 200;

    private string _directory = null!;
    private ActorSystem _system = null!;
    private EmbeddedLightningNetwork _network = null!;
    private IActorRef _settlement = null!;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "sweetgossip-bench", Guid.NewGuid().ToString("N"));
        _system = ActorSystem.Create("bench", NodeConfig.Build("akka.loglevel = WARNING", _directory));
        _network = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions { SignInvoices = false, Seed = 1 });
        _settlement = _system.ActorOf(SettlementActor.Props("settlement-bench", _network.CreateNode(0), TimeProvider.System, SettlementSettings.Default with { SweepInterval = TimeSpan.FromHours(1) }));
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
}
