using System.Diagnostics;
using Akka.Actor;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Node.Core;
using SweetGossip.Node.Transport;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using SweetGossip.Simulation.Adversaries;
using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Output;
using SweetGossip.Simulation.Partitioned;
using SweetGossip.Simulation.Randomness;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Runner;

/// <summary>
/// <see cref="SimulationRunner"/>'s scenario on a <see cref="PartitionedSimulation"/>: the same nodes, topics,
/// attacks and churn, with the nodes split over threads. Everything a node shares with others goes through
/// a fixed order: messages (courier), reports (buffered observer), Lightning calls (desk). Every identity's
/// settings and wallet are made before the run, in id order, so late joiners draw nothing at run time.
/// Same config and lookahead, same results, for any number of threads.
/// </summary>
internal static class PartitionedSimulationRunner
{
    public static SimulationRun Run(SimulationConfig config, SimulationRunOptions options, int threads, string? baseDirectory, CancellationToken cancel)
    {
        if (threads is < 1 or > 256) throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be 1 to 256");
        if (options.Lookahead < TimeSpan.FromMilliseconds(0.1) || options.Lookahead > TimeSpan.FromSeconds(1))
            throw new ArgumentOutOfRangeException(nameof(options), options.Lookahead, "the lookahead must be 0.1 ms to 1 s");
        var wall = Stopwatch.StartNew();
        using var fresh = FreshRandomness.ReplaceOnThisThread(Entropy.Seeded((int)SeedStreams.Derive(config.Seed, "fresh")));

        var scenario = ScenarioModel.For(config);
        var graph = TopologyFactory.Build(config.Topology, scenario.Positions, scenario.Projection, config.Seed, baseDirectory);
        var adversaries = AdversaryPlan.Assign(config);
        var identities = IdentityPlan.For(config, graph, adversaries);
        var start = scenario.Start;
        var n = identities.Count;
        var seeds = NodeSeeds.For(config, n);

        using var engine = new PartitionedSimulation(Math.Min(threads, n), n, options.Lookahead, start, options.LogLevel,
            SeedStreams.Derive(config.Seed, "fresh/node"));
        var layout = engine.Layout;
        var desk = new LightningDesk(layout, start);
        engine.Lightning = desk;
        using var lightning = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions
        {
            TimeProvider = desk.Clock,
            Seed = (int)SeedStreams.Derive(config.Seed, "lightning"),
            SignInvoices = false,
            TrackPayments = false,
        });
        desk.Network = lightning;

        var metrics = new MetricsRecorder(n, config.Metrics);
        foreach (var identity in identities)
            metrics.DescribePeer(identity.Id, scenario.KindOf(identity.Id), identity.Attack is null);
        Func<int, IEnumerable<int>?> interested = n == config.PeerCount ? _ => null : _ => Enumerable.Range(0, config.PeerCount);
        using var trace = options.TracePath is { } tracePath ? new FrameTrace(tracePath, options.TraceMaxLines) : null;
        using var events = options.PeerEventsPath is { } eventsPath ? new PeerEventsCsv(eventsPath) : null;
        var recorder = events is null ? null
            : new PeerEventRecorder(events, PeerEventRecorder.Links(identities), start, options.PeerEventInterval);
        var observer = new MetricsObserver(metrics, start, config.Hops, interested, trace, recorder);

        var latency = new FlooredLinkLatency(new LatencySampler(config.Latency, config.Seed), options.Lookahead, n);
        var courier = new PartitionCourier(layout, latency.Setup, start);
        var network = new InMemoryNetwork { Latency = latency, Courier = courier, ConnectionsInLinkEnds = true, SimulatorNodes = true };
        courier.Network = network;
        var authorityKey = Entropy.Seeded((int)SeedStreams.Derive(config.Seed, "authority")).NewKey();
        var authority = new CertificateAuthority(scenario.AuthorityName, authorityKey);
        var trusted = new TrustedAuthorities();
        trusted.Trust(authority.Name, authority.PublicKey);

        using var entropyTrace = Diagnostics.EntropyTrace.FromEnvironment();
        var keys = new Dictionary<PublicKey, int>(n);
        var buffered = new BufferedObserver(observer, layout, keys, start, entropyTrace);
        var settings = new Node.Core.NodeSettings[n];
        var wallets = new ILightningWallet[n];
        var accountOf = new int[n];
        foreach (var plan in identities)
        {
            settings[plan.Id] = SimulationRunner.SettingsFor(config, seeds, plan, scenario, authority, trusted, buffered, start);
            if (entropyTrace is not null)
                settings[plan.Id] = settings[plan.Id] with { Entropy = entropyTrace.Wrap(plan.Id, settings[plan.Id].Entropy, layout.PartitionOfNode(plan.Id).Sim.Clock, start) };
            // Two nodes with one key would be taken for one (each one's reports buffered in the other's partition).
            if (!keys.TryAdd(settings[plan.Id].Identity.PublicKey, plan.Id))
                throw new InvalidOperationException($"nodes {keys[settings[plan.Id].Identity.PublicKey]} and {plan.Id} have one identity key");
            observer.AddNode(settings[plan.Id].Identity.PublicKey, plan.Id);
            var account = lightning.CreateNode(options.OpeningBalanceMsat);
            accountOf[plan.Id] = account.Index;
            wallets[plan.Id] = new ILightningWallet(new DeferredLightningNode(account, plan.Id, desk));
        }

        var nodes = new RunningNode?[n];
        void StartNode(IdentityPlan plan)
        {
            var system = layout.PartitionOfNode(plan.Id).Sim;
            var nodeSettings = settings[plan.Id];
            var wallet = wallets[plan.Id].Node;
            // Made on the partition's thread for a late joiner; the recorder reads it only between windows.
            var scores = NodeHost.ScoreBook(nodeSettings);
            recorder?.Started(plan.Id, nodeSettings.Identity.PublicKey, scores);
            nodes[plan.Id] = plan.Attack?.Attack is { } attack
                ? AdversaryHost.StartInMemory(system.System, SimulationRunner.Address(plan.Id), nodeSettings, SimulationRunner.RulesFor(seeds, attack, nodeSettings, start), wallet,
                    network, system.Clock, SimulationRunner.SimulatedSettlement, seeds.AdversaryEntropyOf(plan.Id), scores)
                : NodeHost.StartInMemory(system.System, SimulationRunner.Address(plan.Id), nodeSettings, wallet, network, system.Clock, SimulationRunner.SimulatedSettlement, scores);
        }
        var reportStarts = Math.Max(1, n / 100);
        foreach (var plan in identities)
        {
            if (plan.Id % reportStarts == 0)
            {
                cancel.ThrowIfCancellationRequested();
                options.Progress?.Report(new SimulationProgress(SimulationPhase.StartingNodes, plan.Id, n, engine.Executed));
            }
            if (plan.JoinSeconds <= 0) StartNode(plan);
            else layout.PartitionOfNode(plan.Id).Sim.System.Scheduler.Advanced.ScheduleOnce(TimeSpan.FromSeconds(plan.JoinSeconds), () => StartNode(plan));
        }

        var lifetime = scenario.Lifetime;
        foreach (var topic in scenario.Topics)
        {
            observer.WillOriginate(topic.Origin, topic.Topic);
            var payload = scenario.TopicOf(topic);
            layout.PartitionOfNode(topic.Origin).Sim.System.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(topic.TimeSeconds), nodes[topic.Origin]!.Node,
                new OriginateTopic(payload, lifetime), ActorRefs.NoSender);
        }
        var churnEvents = SimulationRunner.ScheduleChurn(config, graph, nodes, node => layout.PartitionOfNode(node).Sim.System.Scheduler, recorder);

        var startup = wall.Elapsed;
        var cost = RunCost.Since();
        var total = TimeSpan.FromSeconds(config.DurationSeconds) + options.Tail;
        var progress = new RunProgress(total, options.Progress, cancel);
        engine.RunUntil(total, elapsed =>
        {
            progress.At(elapsed, engine.Executed);
            recorder?.At(elapsed);
        });
        progress.Done(engine.Executed);
        recorder?.Done(total);

        var running = wall.Elapsed - startup;
        var spent = cost();
        var money = SimulationRunner.CountMoney(lightning, options.OpeningBalanceMsat, out var openHtlcs);
        var balanceChanges = PeerBalances.Changes(lightning, accountOf, options.OpeningBalanceMsat);
        var (executed, foreign) = (engine.Executed, engine.ForeignEnqueues);
        Array.Clear(nodes);
        var stopping = wall.Elapsed;
        engine.Abandon();
        var shutdown = wall.Elapsed - stopping;
        var results = metrics.Aggregate();
        money = PeerBalances.Compare(money, results.Peers, balanceChanges);
        var statistics = new RunStatistics(n, identities.Sum(i => i.Dials.Length), total.TotalSeconds, wall.Elapsed,
            executed, foreign, Math.Max(progress.PeakWorkingSet, Process.GetCurrentProcess().PeakWorkingSet64), openHtlcs, churnEvents,
            startup, running, shutdown, new PartitionStatistics(engine.Partitions.Length, engine.Windows, engine.MergeTime, engine.BusyTime),
            SimulationRunner.Recording(trace, events), spent);
        return new SimulationRun(config, results, SimulationSummary.From(results), money, statistics);
    }

    /// <summary>A node's deferred wallet, made before the run.</summary>
    private readonly record struct ILightningWallet(DeferredLightningNode Node);
}
