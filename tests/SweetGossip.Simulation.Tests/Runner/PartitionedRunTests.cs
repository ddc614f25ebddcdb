using SweetGossip.Simulation.Output;
using SweetGossip.Simulation.Runner;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Tests.Support;
using SweetGossip.Simulation.Topology;
using Xunit.Abstractions;

namespace SweetGossip.Simulation.Tests.Runner;

/// <summary>The partitioned (multi-threaded) run: the same seed gives the same files for any number of threads.</summary>
public sealed class PartitionedRunTests(ITestOutputHelper output)
{
    private static SimulationConfig City(int peers) => new()
    {
        Seed = 23,
        DurationSeconds = 90,
        Fanout = 3,
        DifficultyBits = 4,
        Hops = 10,
        Topology = TopologySpec.RandomRegular(6),
        Taxi = new TaxiScenario { Peers = peers, DriverFraction = 0.3, RiderTopicsPerMinute = 6, DriverAreaPrecision = 4 },
    };

    /// <summary>
    /// A run on <paramref name="threads"/> threads and every result file it wrote, by name: those written after it and
    /// those streamed during it (peer-events.csv, trace.jsonl). Plots left out: they are drawn from the same numbers.
    /// </summary>
    private static (SimulationRun Run, Dictionary<string, string> Files) RunWithFiles(SimulationConfig config, int threads)
    {
        using var folder = new TempFolder();
        var run = SimulationRunner.Run(config, new SimulationRunOptions
        {
            Threads = threads,
            PeerEventsPath = folder.File(PeerEventsCsv.FileName),
            PeerEventInterval = TimeSpan.FromSeconds(1),
            TracePath = folder.File(FrameTrace.FileName),
        });
        SimulationOutput.WriteAll(folder.Path, config, run.Results, PlotFormat.Svg);
        var files = Directory.GetFiles(folder.Path)
            .Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".csv", StringComparison.Ordinal) || f.EndsWith(".md", StringComparison.Ordinal)
                || f.EndsWith(".jsonl", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        return (run, files);
    }

    [Fact]
    public void One_two_and_three_threads_write_byte_identical_results_for_a_seed()
    {
        var config = City(300);
        var (one, expected) = RunWithFiles(config, 1);
        var (two, filesOfTwo) = RunWithFiles(config, 2);
        var (three, filesOfThree) = RunWithFiles(config, 3);
        output.WriteLine($"topics {one.Summary.Topics} coverage {one.Summary.MeanCoverage} replies {one.Summary.RepliesDelivered} frames {one.Summary.Frames} pow {one.Summary.PowHashes}");

        // A run that did something: topics spread, replies were bought, money moved and is all accounted for.
        Assert.True(one.Summary.Topics >= 5, $"only {one.Summary.Topics} topics");
        Assert.True(one.Summary.MeanCoverage > 0.5, $"coverage {one.Summary.MeanCoverage}");
        Assert.True(one.Summary.RepliesDelivered > 0);
        foreach (var run in new[] { one, two, three })
        {
            Assert.True(run.Money.Conserved, run.Money.ToString());
            Assert.Equal(0, run.Statistics.ForeignWorkItems);
        }

        Assert.Contains("summary.json", expected.Keys);
        Assert.Contains("topics.csv", expected.Keys);
        Assert.Contains("peers.csv", expected.Keys);
        Assert.Contains("peer-events.csv", expected.Keys);
        Assert.True(expected["trace.jsonl"].Length > 1000, "the trace is empty");
        foreach (var (threads, actual) in new[] { (2, filesOfTwo), (3, filesOfThree) })
        {
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            foreach (var (name, text) in expected)
                Assert.True(text == actual[name], $"{name} differs between 1 and {threads} threads");
        }
        Assert.Equal(one.Money, two.Money);
    }

    [Fact]
    public void Latencies_below_the_lookahead_are_raised_to_it_and_the_run_still_repeats()
    {
        // A constant 1 ms latency under a 5 ms lookahead: every frame takes 5 ms, and no message may land
        // inside the window it was sent in (the engine throws if one does).
        var config = City(120) with { Latency = LatencyModel.Constant(1) };
        var (one, expected) = RunWithFiles(config, 1);
        var (_, filesOfTwo) = RunWithFiles(config, 2);
        Assert.True(one.Summary.Topics > 0);
        foreach (var (name, text) in filesOfTwo)
            Assert.True(text == expected[name], $"{name} differs between 1 and 2 threads");
    }

    [Fact]
    public void Runs_on_more_threads_than_cores_repeat_byte_for_byte()
    {
        // Four partitions on a two-core machine: the threads' timing varies from run to run. Moving drivers: each
        // partition asks the one scenario model where its drivers are, at once (the routes were a shared dictionary).
        var config = City(400) with { Churn = new Churn { DriverSpeedKmh = 30 } };
        var (first, expected) = RunWithFiles(config, 4);
        Assert.True(first.Summary.RepliesDelivered > 0);
        for (var again = 0; again < 2; again++)
        {
            var (run, files) = RunWithFiles(config, 4);
            Assert.Equal(0, run.Statistics.ForeignWorkItems);
            Assert.Equal(expected.Keys.Order(), files.Keys.Order());
            foreach (var (name, text) in expected)
                Assert.True(text == files[name], $"{name} differs between two runs on 4 threads");
        }
    }

    [Fact]
    public void Process_wide_memories_shrunk_to_a_few_entries_change_no_result()
    {
        // The decoder's memories and the parsed keys are shared by every node and thread of the process and start over
        // when full, in an order that depends on the threads: a hit must act exactly as a miss. Four entries each: they
        // start over all the time, so nearly every look-up misses where the first run's hit.
        var config = City(300);
        var (_, expected) = RunWithFiles(config, 4);
        var (requests, certificates, keys) = (Protocol.Wire.DecodedRequests.CapacityNow, Protocol.Wire.DecodedCertificates.CapacityNow, Protocol.Crypto.PublicKey.ParsedCapacity);
        try
        {
            Protocol.Wire.DecodedRequests.CapacityNow = Protocol.Wire.DecodedCertificates.CapacityNow = Protocol.Crypto.PublicKey.ParsedCapacity = 4;
            var (_, files) = RunWithFiles(config, 4);
            foreach (var (name, text) in expected)
                Assert.True(text == files[name], $"{name} differs when the process-wide memories hold 4 entries");
        }
        finally
        {
            (Protocol.Wire.DecodedRequests.CapacityNow, Protocol.Wire.DecodedCertificates.CapacityNow, Protocol.Crypto.PublicKey.ParsedCapacity) = (requests, certificates, keys);
        }
    }

    [Fact]
    public void Two_nodes_whose_derived_identity_seeds_clash_run_as_two_nodes_each_on_its_own_partition()
    {
        // Seed 267187 derives the same 32-bit identity seed for nodes 10 and 257 (one in each half: 2 threads put them in
        // different partitions). Sharing an identity key, node 10's reports were taken for node 257's, buffered in the other
        // partition's list from this partition's thread (the foreign work of the 100,000-peer runs, issue 13 item 4).
        var config = City(300) with { Seed = 267187, DurationSeconds = 40 };
        var (one, expected) = RunWithFiles(config, 1);
        var (two, files) = RunWithFiles(config, 2);
        foreach (var run in new[] { one, two })
        {
            Assert.Equal(0, run.Statistics.ForeignWorkItems);
            Assert.All(new[] { 10, 257 }, node => Assert.True(run.Results.Peers.Single(p => p.Node == node).FramesSent > 0, $"node {node} sent nothing of its own"));
        }
        Assert.Equal(expected.Keys.Order(), files.Keys.Order());
        foreach (var (name, text) in expected)
            Assert.True(text == files[name], $"{name} differs between 1 and 2 threads");
    }
}
