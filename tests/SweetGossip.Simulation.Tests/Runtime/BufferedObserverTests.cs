using SweetGossip.Node.Observation;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Simulation.Partitioned;

namespace SweetGossip.Simulation.Tests.Runtime;

/// <summary>
/// The reports of a partitioned run's nodes, buffered per partition until the merge: none may be lost, whichever thread
/// reports (issue 13 item 4: one proof's hashes were missing from one of five same-seed 100,000-peer runs).
/// </summary>
public sealed class BufferedObserverTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);
    private const int Threads = 4, ReportsPerThread = 100_000;

    private sealed class HashTotal : INodeObserver
    {
        public long Hashes { get; private set; }

        public void PowSolved(PublicKey node, long hashes, DateTimeOffset at) => Hashes += hashes;
    }

    /// <summary>Each of <see cref="Threads"/> threads reports proofs for its own node, all nodes in one partition, at once.</summary>
    private static (PartitionedSimulation Engine, HashTotal Total, List<Exception> Failures) ReportFromThreads(Thread? runner)
    {
        var engine = new PartitionedSimulation(1, Threads, TimeSpan.FromMilliseconds(5), Start, "ERROR", freshRoot: 42);
        var entropy = Entropy.Seeded(7);
        var keys = Enumerable.Range(0, Threads).ToDictionary(_ => entropy.NewKey().PublicKey, n => n);
        var total = new HashTotal();
        var observer = new BufferedObserver(total, engine.Layout, keys, Start);
        engine.Partitions[0].Runner = runner;
        var failures = new List<Exception>();
        using var go = new Barrier(Threads);
        var threads = keys.Keys.Select(key => new Thread(() =>
        {
            try
            {
                go.SignalAndWait();
                for (var i = 0; i < ReportsPerThread; i++) observer.PowSolved(key, 1, Start.AddMilliseconds(i));
            }
            catch (Exception e)
            {
                lock (failures) failures.Add(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        foreach (var report in engine.Partitions[0].Observations) report.Apply();
        return (engine, total, failures);
    }

    [Fact]
    public void Reports_made_on_several_threads_at_once_are_all_applied()
    {
        var (engine, total, failures) = ReportFromThreads(runner: null);
        using (engine)
        {
            Assert.Empty(failures);
            Assert.Equal(Threads * ReportsPerThread, engine.Partitions[0].Observations.Count);
            Assert.Equal(Threads * ReportsPerThread, total.Hashes);
        }
    }

    [Fact]
    public void Reports_from_a_thread_not_running_the_partition_are_counted_as_foreign()
    {
        var (engine, _, failures) = ReportFromThreads(runner: Thread.CurrentThread);
        using (engine)
        {
            Assert.Empty(failures);
            Assert.Equal(Threads * ReportsPerThread, engine.Partitions[0].ForeignObservations);
            Assert.Equal(Threads * ReportsPerThread, engine.ForeignEnqueues);
        }
    }

    [Fact]
    public void Reports_from_the_thread_running_the_partition_are_not_foreign()
    {
        using var engine = new PartitionedSimulation(1, 1, TimeSpan.FromMilliseconds(5), Start, "ERROR", freshRoot: 42);
        var key = Entropy.Seeded(7).NewKey().PublicKey;
        var observer = new BufferedObserver(new HashTotal(), engine.Layout, new Dictionary<PublicKey, int> { [key] = 0 }, Start);
        engine.Partitions[0].Runner = Thread.CurrentThread;
        observer.PowSolved(key, 5, Start);
        Assert.Equal(0, engine.Partitions[0].ForeignObservations);
        Assert.Single(engine.Partitions[0].Observations);
    }
}
