using System.Diagnostics;
using Akka.Actor;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Observation;
using SweetGossip.Node.Policies;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Wire;
using SweetGossip.Protocol.Topics;

namespace SweetGossip.Benchmarks;

/// <summary>
/// Whole-node measurements over loopback TCP that BenchmarkDotNet's micro-benchmark loop does not fit:
/// relay throughput (as a ratio to Schnorr verifications measured in the same run) and end-to-end job
/// latency over three hops, and duplicate asks a relay absorbs. Every node runs in this one process, each
/// with its own TCP listener.
///   dotnet run -c Release --project tests/SweetGossip.Benchmarks -- nodes [topics] [jobs] [--json]
///   dotnet run -c Release --project tests/SweetGossip.Benchmarks -- duplicates [payloads] [peers] [--json]
/// </summary>
public static class NodeScenarios
{
    private const ulong Sat = 1000;

    /// <summary>What `nodes` measured, for `--json` (scripts compare runs by these names).</summary>
    public sealed record NodesFigures(int Topics, double RelayPerS, double RelaySeconds, double VerifyPerS, int Cores, double RelayToVerifyTimesCores,
        int Jobs, double JobP50Ms, double JobP99Ms, double JobMaxMs, double RelayCpuUsPerTopic, double? RelayCpuUsPerTopicWithoutJit, double RelayAllocatedKbPerTopic);

    public sealed record DuplicatesFigures(int Asks, double AbsorbedPerS, double Seconds, double VerifyPerS, double DecodePerS);

    public static async Task RunAsync(int topics, int jobs, bool json)
    {
        var verifyRate = SchnorrVerifyRate();
        if (!json) Console.WriteLine($"Schnorr verify, this run: {verifyRate:N0}/s on one core");
        var (relayRate, elapsed, cpu, cpuWithoutJit, allocated) = await RelayThroughputAsync(topics);
        var cores = Environment.ProcessorCount;
        var cpuPerTopic = cpu.TotalMicroseconds / topics;
        var cpuWithoutJitPerTopic = cpuWithoutJit?.TotalMicroseconds / topics;
        if (!json) Console.WriteLine($"relay: {topics} unique broadcasts forwarded in {elapsed.TotalSeconds:0.00} s = {relayRate:N0}/s; " +
            $"ratio to verify rate {relayRate / verifyRate:0.000}, to verify rate x {cores} cores {relayRate / (verifyRate * cores):0.000}; " +
            $"process CPU {cpuPerTopic:0.0} µs ({cpuWithoutJitPerTopic:0.0} µs without the tier-up JIT thread) and {allocated / 1024.0 / topics:0.0} KB allocated per topic");
        var latencies = await JobLatencyAsync(jobs);
        if (!json) Console.WriteLine($"end-to-end job (originate → paid, opened, validated reply) over 3 hops, {jobs} jobs: " +
            $"p50 {Percentile(latencies, 0.50):0.0} ms, p99 {Percentile(latencies, 0.99):0.0} ms, max {latencies.Max():0.0} ms");
        if (json)
            Console.WriteLine(Json(new NodesFigures(topics, Math.Round(relayRate), Math.Round(elapsed.TotalSeconds, 3), Math.Round(verifyRate), cores,
                Math.Round(relayRate / (verifyRate * cores), 4), jobs, Math.Round(Percentile(latencies, 0.50), 2), Math.Round(Percentile(latencies, 0.99), 2), Math.Round(latencies.Max(), 2), Math.Round(cpuPerTopic, 1), cpuWithoutJitPerTopic is { } w ? Math.Round(w, 1) : null, Math.Round(allocated / 1024.0 / topics, 1))));
    }

    public static async Task RunDuplicatesAsync(int payloads, int peers, bool json)
    {
        var verifyRate = SchnorrVerifyRate();
        if (!json) Console.WriteLine($"Schnorr verify, this run: {verifyRate:N0}/s on one core");
        var (count, elapsed, decodeRate) = await DuplicateAbsorptionAsync(payloads, peers);
        var rate = count / elapsed.TotalSeconds;
        if (json)
        {
            Console.WriteLine(Json(new DuplicatesFigures(count, Math.Round(rate), Math.Round(elapsed.TotalSeconds, 3), Math.Round(verifyRate), Math.Round(decodeRate))));
            return;
        }
        Console.WriteLine($"decode AskForFavour (one of this run's), this run: {decodeRate:N0}/s on one core");
        Console.WriteLine($"duplicates: {peers} peers each offered {payloads} payloads the relay had seen = {count:N0} asks, " +
            $"absorbed in {elapsed.TotalSeconds:0.000} s = {rate:N0}/s; ratio to verify rate {rate / verifyRate:0.00}, to decode rate {rate / decodeRate:0.00}");
    }

    /// <summary>One settlement actor on its SQLite journal: sequential IssueInvoice round trips, each one journaled event.</summary>
    public static async Task RunJournalLatencyAsync(int count)
    {
        var directory = Path.Combine(Path.GetTempPath(), "sweetgossip-bench", Guid.NewGuid().ToString("N"));
        using var lightning = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions { SignInvoices = false, Seed = 1 });
        var system = ActorSystem.Create("journal", NodeConfig.Build(Environment.GetEnvironmentVariable("SG_BENCH_LOG") ?? "akka.loglevel = WARNING", directory));
        try
        {
            var settlement = system.ActorOf(SweetGossip.Node.Settlement.SettlementActor.Props("settlement-latency", lightning.CreateNode(0), TimeProvider.System,
                SweetGossip.Node.Settlement.SettlementSettings.Default with { SweepInterval = TimeSpan.FromHours(1) }));
            var samples = new List<double>();
            for (var i = 0; i < count + 20; i++)
            {
                var clock = Stopwatch.StartNew();
                await settlement.Ask<SweetGossip.Node.Settlement.InvoiceIssued>(new SweetGossip.Node.Settlement.IssueInvoice(Hash32.Random(), 1_000, "", TimeSpan.FromHours(1), 40), TimeSpan.FromMinutes(1));
                if (i >= 20) samples.Add(clock.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine($"one journaled event (IssueInvoice round trip), {count} in sequence: p50 {Percentile(samples, 0.5):0.00} ms, p99 {Percentile(samples, 0.99):0.00} ms");
        }
        finally
        {
            await system.Terminate();
        }
    }

    internal static string Json(object figures) => System.Text.Json.JsonSerializer.Serialize(figures, figures.GetType(),
        new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower, WriteIndented = true });

    /// <summary>What the relay's peer connection does with each ask before the node sees it: decode the frame.</summary>
    private static double DecodeRate(AskForFavour ask)
    {
        var bytes = FrameCodec.Encode(ask);
        for (var i = 0; i < 2_000; i++) FrameCodec.Decode(bytes);
        const int n = 5_000;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < n; i++) FrameCodec.Decode(bytes);
        return n / clock.Elapsed.TotalSeconds;
    }

    internal static double SchnorrVerifyRate()
    {
        var key = PrivateKey.Generate();
        var message = TaggedHash.Compute("bench", "verify"u8);
        var signature = Schnorr.Sign(key, message);
        for (var i = 0; i < 3_000; i++) Schnorr.Verify(key.PublicKey, message, signature);
        const int n = 5_000;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < n; i++) Schnorr.Verify(key.PublicKey, message, signature);
        return n / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// One relay node between two hand-written peers on loopback TCP: an originator that asks it a favour for each
    /// of <paramref name="topics"/> pre-signed requests and answers its proof-of-work conditions with broadcasts,
    /// and a sink that grants every favour the relay asks of it for free and counts the broadcasts. The relay
    /// decodes and verifies every ask, grants and redeems favours, starts a topic actor per topic, asks the sink,
    /// solves its (free) proof and broadcasts: all of a relay's work, none of its peers'. Measured: from the first
    /// ask written until the sink has counted every broadcast. The process's CPU time over the same window is
    /// returned too (and the bytes allocated): unlike the rate, CPU per topic does not depend on what else the machine
    /// runs (it includes the two hand-written peers' share, the same for every build of the relay).
    /// </summary>
    private static async Task<(double Rate, TimeSpan Elapsed, TimeSpan Cpu, TimeSpan? CpuWithoutJit, long Allocated)> RelayThroughputAsync(int topics)
    {
        await using var world = new World();
        var relay = await world.StartAsync("relay", 0, NeverReply.Instance, []);
        var relayIdentity = relay.Settings.Identity.PublicKey;
        await using var sink = await BenchPeer.ConnectAsync(relay.Listening.EndPoint, relayIdentity);
        await using var origin = await BenchPeer.ConnectAsync(relay.Listening.EndPoint, relayIdentity);
        await world.AwaitPeersAsync(relay, 2);
        // Warm-up, not counted: a relay hub runs for days, so what it sustains is what its tiered JIT has compiled
        // fully; the first thousands of topics run partly in tier-0 code (BenchmarkDotNet warms up the same way).
        var warmUp = world.SignedRequests(WarmUpTopics);
        await origin.WriteAsync(origin.OriginateAsks(warmUp, relayIdentity));
        await sink.SinkAsync(WarmUpTopics).WaitAsync(TimeSpan.FromMinutes(10));

        var requests = world.SignedRequests(topics);
        var asks = origin.OriginateAsks(requests, relayIdentity);
        var done = sink.SinkAsync(topics);

        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var withoutJitBefore = ThreadCpu.WithoutJit();
        var clock = Stopwatch.StartNew();
        var windowStart = Stopwatch.GetTimestamp();
        await origin.WriteAsync(asks);
        await done.WaitAsync(TimeSpan.FromMinutes(10));
        var elapsed = clock.Elapsed;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        // Threads that ended inside the window drop out of the sum: the figure can only be a little low, never high.
        var withoutJit = ThreadCpu.WithoutJit() - withoutJitBefore;
        // For `perf record -k CLOCK_MONOTONIC`: the measured window, so a profile can be cut to it (`perf report --time`).
        if (Environment.GetEnvironmentVariable("SG_BENCH_WINDOW") is not null)
            Console.Error.WriteLine($"relay window (monotonic s): {windowStart / (double)Stopwatch.Frequency:0.000000},{Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency:0.000000}");
        return (topics / elapsed.TotalSeconds, elapsed, cpu, withoutJit, allocated);
    }

    /// <summary>Topics relayed, and jobs run, before the measured ones (JIT tiering, SQLite's first pages, pools).</summary>
    internal const int WarmUpTopics = 5_000, WarmUpJobs = 50;

    /// <summary>
    /// A relay that has accepted <paramref name="payloads"/> topics (from a node, over TCP) is offered every one
    /// of them again by each of <paramref name="peers"/> hand-written peers: an AskForFavour with a fresh ask id and
    /// the very signed request. Each is the first offer of that payload from that peer (gossip arriving by
    /// another path, no score penalty), so the relay decodes it and drops it by dedup before any validation.
    /// The signed requests come from a collector peer the relay asks favours of as it relays the topics.
    /// Measured: from the first byte written until the relay's observer has counted every duplicate; the asks
    /// are sealed beforehand, so the peers' own encryption is not in the time.
    /// </summary>
    private static async Task<(int Count, TimeSpan Elapsed, double DecodeRate)> DuplicateAbsorptionAsync(int payloads, int peers)
    {
        await using var world = new World();
        var duplicates = new DuplicateCounter();
        var relay = await world.StartAsync("relay", 0, NeverReply.Instance, [], duplicates);
        var relayIdentity = relay.Settings.Identity.PublicKey;
        await using var collector = await BenchPeer.ConnectAsync(relay.Listening.EndPoint, relayIdentity);
        await world.AwaitPeersAsync(relay, 1);
        var origin = await world.StartAsync("origin", 0, NeverReply.Instance, [relay.Settings.ContactAddress]);
        await world.AwaitPeersAsync(relay, 2);

        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < payloads; i++)
            origin.Running.Node.Tell(new OriginateTopic(TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now), TimeSpan.FromMinutes(20)));
        // The relay asks the collector only after it accepted the broadcast: every request it holds is seen.
        while (collector.AskedAbout.Count < payloads)
            await Task.Delay(5);
        var requests = collector.AskedAbout.Values.ToList();
        var decodeRate = DecodeRate(new AskForFavour(AskId.New(), requests[0]));

        var flooders = new List<BenchPeer>();
        try
        {
            for (var i = 0; i < peers; i++) flooders.Add(await BenchPeer.ConnectAsync(relay.Listening.EndPoint, relayIdentity));
            await world.AwaitPeersAsync(relay, 2 + peers);
            var batches = flooders.Select(f => f.SealAsks(requests)).ToList();
            var expected = duplicates.Count + peers * payloads;
            var done = duplicates.When(expected);

            var clock = Stopwatch.StartNew();
            await Task.WhenAll(flooders.Select((f, i) => f.WriteAsync(batches[i])));
            await done.WaitAsync(TimeSpan.FromMinutes(5));
            return (peers * payloads, clock.Elapsed, decodeRate);
        }
        finally
        {
            foreach (var flooder in flooders) await flooder.DisposeAsync();
        }
    }

    /// <summary>Counts the relay's duplicate offers; completes a task when a count is reached (no polling in the measured part).</summary>
    private sealed class DuplicateCounter : INodeObserver
    {
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count;
        private int _target = int.MaxValue;

        public int Count => Volatile.Read(ref _count);

        /// <summary>Completes once <paramref name="target"/> duplicates were counted (one target per counter).</summary>
        public Task When(int target)
        {
            Interlocked.Exchange(ref _target, target); // a full fence: either this sees the count, or the counter sees the target
            if (Count >= target) _done.TrySetResult();
            return _done.Task;
        }

        public void DuplicateOffered(PublicKey node, PayloadId payload, PublicKey from, DateTimeOffset at)
        {
            if (Interlocked.Increment(ref _count) >= Volatile.Read(ref _target)) _done.TrySetResult();
        }
    }

    /// <summary>originator → m1 → m2 → driver, one job at a time; each sample is originate → reply delivered (paid, opened, acked).</summary>
    private static async Task<List<double>> JobLatencyAsync(int jobs)
    {
        await using var world = new World();
        var driver = await world.StartAsync("driver", 0, new TaxiDriverPolicy("r3gx", 20_000 * Sat, "Prius, 6 min"), []);
        var m2 = await world.StartAsync("m2", 1_000_000 * Sat, NeverReply.Instance, [driver.Settings.ContactAddress]);
        var m1 = await world.StartAsync("m1", 1_000_000 * Sat, NeverReply.Instance, [m2.Settings.ContactAddress]);
        var originator = await world.StartAsync("originator", 100_000_000 * Sat, NeverReply.Instance, [m1.Settings.ContactAddress]);
        await world.AwaitPeersAsync(m1, 2);
        await world.AwaitPeersAsync(m2, 2);
        await world.AwaitPeersAsync(originator, 1);

        var inbox = Inbox.Create(world.SystemOf("originator"));
        originator.Running.Node.Tell(new SubscribeReplies(inbox.Receiver));
        var samples = new List<double>();
        for (var i = 0; i < jobs + WarmUpJobs; i++)
        {
            var now = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            originator.Running.Node.Tell(new OriginateTopic(TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now), TimeSpan.FromMinutes(20)));
            while (await inbox.ReceiveAsync(TimeSpan.FromMinutes(1)) is not ReplyDelivered) { }
            if (i >= WarmUpJobs) samples.Add(clock.Elapsed.TotalMilliseconds);
        }
        return samples;
    }

    internal static double Percentile(List<double> samples, double p)
    {
        var sorted = samples.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    internal sealed class World : IAsyncDisposable
    {
        private readonly string _directory = Path.Combine(Path.GetTempPath(), "sweetgossip-bench", Guid.NewGuid().ToString("N"));
        private readonly EmbeddedLightningNetwork _lightning = new(new EmbeddedNetworkOptions { SignInvoices = Environment.GetEnvironmentVariable("SG_BENCH_SIGNED") == "1", Seed = 3 });
        private readonly CertificateAuthority _authority = new("Bench Council", PrivateKey.Generate());
        private readonly TrustedAuthorities _trusted = new();

        public World()
        {
            _trusted.Trust(_authority.Name, _authority.PublicKey);
        }

        // One actor system per node, each with its own journal file, as separate node processes have: nodes sharing
        // one SQLite journal would queue behind each other's writes, which no deployment does.
        private readonly Dictionary<string, ActorSystem> _systems = [];

        public ActorSystem SystemOf(string node) => _systems[node];

        /// <summary>Taxi requests signed by a rider this world's authority certified, signed before any clock starts.</summary>
        public IReadOnlyList<SignedRequestPayload> SignedRequests(int count)
        {
            var rider = PrivateKey.Generate();
            var now = UnixTime.Truncate(DateTimeOffset.UtcNow);
            var certificate = _authority.Issue(rider.PublicKey, "rider", [], now.AddDays(-1), now.AddDays(30));
            return Enumerable.Range(0, count).Select(_ => SignedRequestPayload.Sign(new RequestPayload(PayloadId.New(),
                TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now), certificate, PrivateKey.Generate().PublicKey, now, now.AddMinutes(20)), rider)).ToList();
        }

        public Task<ListeningNode> StartAsync(string name, ulong balanceMsat, IReplyPolicy policy, IReadOnlyList<string> peers, INodeObserver? observer = null)
        {
            var system = _systems[name] = ActorSystem.Create(name, NodeConfig.Build(Environment.GetEnvironmentVariable("SG_BENCH_LOG") ?? "akka.loglevel = WARNING", Path.Combine(_directory, name)));
            return StartOnAsync(system, name, PrivateKey.Generate(), balanceMsat, policy, peers, observer, hub: null);
        }

        /// <summary>A hub member's node: on the member's own ActorSystem, with the hub's one identity key.</summary>
        public Task<ListeningNode> StartMemberAsync(SweetGossip.Cluster.Hosting.HubMember member, string name, PrivateKey hubKey) =>
            StartOnAsync(member.System, name, hubKey, 0, NeverReply.Instance, [], null, SweetGossip.Node.Hub.HubRole.Of(member));

        /// <summary>Each member's node config (journal file of its own), for <see cref="SweetGossip.Cluster.Hosting.HubMember.CreateSystem"/>.</summary>
        public Akka.Configuration.Config MemberConfig(string name) =>
            NodeConfig.Build(Environment.GetEnvironmentVariable("SG_BENCH_LOG") ?? "akka.loglevel = WARNING\nakka.log-dead-letters = off\nakka.cluster.log-info = off", Path.Combine(_directory, name));

        private Task<ListeningNode> StartOnAsync(ActorSystem system, string name, PrivateKey key, ulong balanceMsat, IReplyPolicy policy, IReadOnlyList<string> peers,
            INodeObserver? observer, SweetGossip.Node.Hub.HubRole? hub)
        {
            var now = DateTimeOffset.UtcNow;
            var settings = NodeDefaults.Node with
            {
                Identity = key,
                CertificateKey = key,
                Certificate = _authority.Issue(key.PublicKey, name, [], now.AddDays(-1), now.AddDays(30)),
                Trusted = _trusted,
                ContactAddress = "",
                StaticPeers = peers,
                BaseDifficultyBits = 4, // cheap proofs: this measures the relay's checks and I/O, not PoW
                FavourBookCapacity = 1_000_000, // a long run's favours in flight at once, all from one originator
                FavourBookPerPeerCapacity = 1_000_000,
                PeerFramesPerSecond = 1_000_000,
                PeerBurst = 1_000_000,
                PowWorkers = 1,
                ReplyPolicy = policy,
                Observer = observer ?? NoObserver.Instance,
            };
            // Every peer of the run connects from 127.0.0.1: lift the listener's per-prefix and total caps.
            var tcp = NodeDefaults.Transport with
            {
                Listen = "127.0.0.1:0", OutboxLimit = 1_000_000, OutboxMaxBytes = int.MaxValue,
                MaxInboundPerPrefix = 10_000, MaxHandshakesPerPrefix = 10_000, MaxInbound = 10_000, MaxHandshakes = 10_000,
                IdleTimeout = TimeSpan.FromHours(1), // hand-written peers send no keepalives
            };
            return NodeHost.StartTcpAsync(system, name, settings, tcp, _lightning.CreateNode(balanceMsat), TimeProvider.System, NodeDefaults.Settlement, hub: hub);
        }

        public async Task AwaitPeersAsync(ListeningNode node, int count)
        {
            while ((await node.Running.Node.Ask<NodeStatus>(GetNodeStatus.Instance, TimeSpan.FromMinutes(1))).Peers < count)
                await Task.Delay(5);
        }

        public async ValueTask DisposeAsync()
        {
            await Task.WhenAll(_systems.Values.Select(s => s.Terminate()));
            _lightning.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
        }
    }
}
