using SweetGossip.Node.Hosting;
using System.Diagnostics;
using Akka.Actor;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Node.Core;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Policies;
using SweetGossip.Node.Transport;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using SweetGossip.Simulation.Adversaries;
using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Output;
using SweetGossip.Simulation.Randomness;
using SweetGossip.Simulation.Runtime;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Runner;

/// <summary>
/// Runs a scenario with the node's own actors: every peer is a whole node (guardian, peer connections,
/// topic and reply actors, PoW pool, settlement) on an in-memory network whose links delay frames by
/// the latency model, all on one <see cref="SimulatedActorSystem"/> (one thread, virtual time) and one
/// embedded Lightning network. An attacker's links end at an <see cref="AdversaryPeer"/> in front of its
/// node. Same config, same results.
/// </summary>
public static class SimulationRunner
{
    /// <summary>Wall-clock instant of simulation time 0 (its hour of day is the scenario's).</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Settlement's sweep every 30 simulated seconds: deadlines are minutes long, and each sweep is work for every node.
    internal static readonly SettlementSettings SimulatedSettlement = SettlementSettings.Default with { SweepInterval = TimeSpan.FromSeconds(30) };

    public static SimulationRun Run(SimulationConfig config, SimulationRunOptions? options = null, string? baseDirectory = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        SimulationConfigValidator.ThrowIfInvalid(config);
        options ??= new SimulationRunOptions();
        if (options.Threads is { } threads) return PartitionedSimulationRunner.Run(config, options, threads, baseDirectory, cancel);
        var wall = Stopwatch.StartNew();
        // Signatures' aux data and sealed boxes' ephemerals drawn from the seed too: the run repeats byte for byte.
        using var fresh = FreshRandomness.ReplaceOnThisThread(Entropy.Seeded((int)SeedStreams.Derive(config.Seed, "fresh")));

        var scenario = ScenarioModel.For(config);
        var graph = TopologyFactory.Build(config.Topology, scenario.Positions, scenario.Projection, config.Seed, baseDirectory);
        var adversaries = AdversaryPlan.Assign(config);
        var identities = IdentityPlan.For(config, graph, adversaries);
        var start = scenario.Start;
        var seeds = NodeSeeds.For(config, identities.Count);

        var sim = SimulatedActorSystem.Create("sim", start, options.LogLevel);
        using var lightning = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions
        {
            TimeProvider = sim.Clock,
            Seed = (int)SeedStreams.Derive(config.Seed, "lightning"),
            SignInvoices = false,
            TrackPayments = false,
        });

        var metrics = new MetricsRecorder(identities.Count, config.Metrics);
        foreach (var identity in identities)
            metrics.DescribePeer(identity.Id, scenario.KindOf(identity.Id), identity.Attack is null);
        // Coverage is over the scenario's peers; Sybil identities are not an audience.
        Func<int, IEnumerable<int>?> interested = identities.Count == config.PeerCount ? _ => null : _ => Enumerable.Range(0, config.PeerCount);
        using var trace = options.TracePath is { } tracePath ? new FrameTrace(tracePath, options.TraceMaxLines) : null;
        using var events = options.PeerEventsPath is { } eventsPath ? new PeerEventsCsv(eventsPath) : null;
        var recorder = events is null ? null
            : new PeerEventRecorder(events, PeerEventRecorder.Links(identities), start, options.PeerEventInterval);
        var observer = new MetricsObserver(metrics, start, config.Hops, interested, trace, recorder);

        var network = new InMemoryNetwork { Latency = new SampledLinkLatency(new LatencySampler(config.Latency, config.Seed), AddressIndex), ConnectionsInLinkEnds = true, SimulatorNodes = true };
        var authorityKey = Entropy.Seeded((int)SeedStreams.Derive(config.Seed, "authority")).NewKey();
        var authority = new CertificateAuthority(scenario.AuthorityName, authorityKey);
        var trusted = new TrustedAuthorities();
        trusted.Trust(authority.Name, authority.PublicKey);

        var nodes = new RunningNode?[identities.Count];
        var accountOf = new int[identities.Count];
        Array.Fill(accountOf, -1);
        void StartNode(IdentityPlan plan)
        {
            var settings = SettingsFor(config, seeds, plan, scenario, authority, trusted, observer, start);
            observer.AddNode(settings.Identity.PublicKey, plan.Id);
            var wallet = lightning.CreateNode(options.OpeningBalanceMsat);
            accountOf[plan.Id] = wallet.Index;
            var scores = NodeHost.ScoreBook(settings);
            recorder?.Started(plan.Id, settings.Identity.PublicKey, scores);
            nodes[plan.Id] = plan.Attack?.Attack is { } attack
                ? AdversaryHost.StartInMemory(sim.System, Address(plan.Id), settings, RulesFor(seeds, attack, settings, start), wallet, network, sim.Clock, SimulatedSettlement,
                    seeds.AdversaryEntropyOf(plan.Id), scores)
                : NodeHost.StartInMemory(sim.System, Address(plan.Id), settings, wallet, network, sim.Clock, SimulatedSettlement, scores);
        }
        var reportStarts = Math.Max(1, identities.Count / 100);
        foreach (var plan in identities)
        {
            if (plan.Id % reportStarts == 0)
            {
                cancel.ThrowIfCancellationRequested();
                options.Progress?.Report(new SimulationProgress(SimulationPhase.StartingNodes, plan.Id, identities.Count, sim.Queue.Executed));
            }
            if (plan.JoinSeconds <= 0) StartNode(plan);
            else sim.System.Scheduler.Advanced.ScheduleOnce(TimeSpan.FromSeconds(plan.JoinSeconds), () => StartNode(plan));
        }

        var lifetime = scenario.Lifetime;
        foreach (var topic in scenario.Topics)
        {
            observer.WillOriginate(topic.Origin, topic.Topic);
            var payload = scenario.TopicOf(topic);
            sim.System.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(topic.TimeSeconds), nodes[topic.Origin]!.Node, new OriginateTopic(payload, lifetime), ActorRefs.NoSender);
        }
        var churnEvents = ScheduleChurn(config, graph, nodes, _ => sim.System.Scheduler, recorder);
        // Holds that time out must be failed back: the embedded network applies deadlines when asked.
        sim.System.Scheduler.Advanced.ScheduleRepeatedly(TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), () => lightning.ExpireDue());

        var startup = wall.Elapsed;
        var cost = RunCost.Since();
        var total = TimeSpan.FromSeconds(config.DurationSeconds) + options.Tail;
        var progress = new RunProgress(total, options.Progress, cancel);
        sim.RunUntil(total, elapsed =>
        {
            progress.At(elapsed, sim.Queue.Executed);
            recorder?.At(elapsed);
        });
        progress.Done(sim.Queue.Executed);
        recorder?.Done(total);

        var running = wall.Elapsed - startup;
        var spent = cost();
        // Measured before the network is let go (a full collection: a few seconds at 100k peers).
        var liveHeap = GC.GetTotalMemory(forceFullCollection: true);
        var money = CountMoney(lightning, options.OpeningBalanceMsat, out var openHtlcs);
        var balanceChanges = PeerBalances.Changes(lightning, accountOf, options.OpeningBalanceMsat);
        var (executed, foreign) = (sim.Queue.Executed, sim.Queue.ForeignEnqueues);
        // Nothing of the simulated network is needed any more: drop it before aggregating, so the two never
        // hold memory at once (at 100k peers the network is most of the heap).
        Array.Clear(nodes);
        var stopping = wall.Elapsed;
        sim.Abandon();
        var shutdown = wall.Elapsed - stopping;
        var results = metrics.Aggregate();
        money = PeerBalances.Compare(money, results.Peers, balanceChanges);
        var statistics = new RunStatistics(identities.Count, identities.Sum(i => i.Dials.Length), total.TotalSeconds, wall.Elapsed,
            executed, foreign, Math.Max(progress.PeakWorkingSet, Process.GetCurrentProcess().PeakWorkingSet64), openHtlcs, churnEvents,
            startup, running, shutdown, Recording: Recording(trace, events), Cost: spent) { LiveHeapAtEndBytes = liveHeap };
        return new SimulationRun(config, results, SimulationSummary.From(results), money, statistics);
    }

    internal static RecordingStatistics? Recording(FrameTrace? trace, PeerEventsCsv? events) =>
        trace is null && events is null ? null : new RecordingStatistics(trace?.Written ?? 0, trace?.Dropped ?? 0, events?.Rows ?? 0);

    /// <summary>
    /// Peers going offline and coming back (dialling all their neighbours again), and links breaking and
    /// being re-dialled, at seeded exponential times per peer and per link (<see cref="Churn"/>).
    /// </summary>
    /// <param name="recorder">Told of every churn message scheduled, for peer-events.csv.</param>
    internal static int ScheduleChurn(SimulationConfig config, Graph graph, RunningNode?[] nodes, Func<int, IScheduler> schedulerOf, PeerEventRecorder? recorder = null)
    {
        var churn = config.Churn;
        var end = config.DurationSeconds;
        var events = 0;
        if (churn.OfflinePerHour > 0)
            for (var peer = 0; peer < config.PeerCount; peer++)
            {
                var random = SeedStreams.Open(config.Seed, "churn", peer);
                var node = nodes[peer]!;
                var dial = graph.Neighbours(peer).ToArray().Select(Address).ToArray();
                var scheduler = schedulerOf(peer);
                for (var t = churn.SampleSecondsUntilOffline(random); t < end;)
                {
                    scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(t), node.Transport, GoOffline.Instance, ActorRefs.NoSender);
                    recorder?.Churn(t, peer, null, PeerEventKind.Offline);
                    events++;
                    var back = t + churn.SampleSecondsUntilOnline(random);
                    if (!(back < end)) break;
                    scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(back), node.Transport, new GoOnline(dial), ActorRefs.NoSender);
                    recorder?.Churn(back, peer, null, PeerEventKind.Online);
                    t = back + churn.SampleSecondsUntilOffline(random);
                }
            }
        if (churn.LinkDropPerHour > 0)
        {
            var edge = 0;
            foreach (var (a, b) in graph.Edges())
            {
                var random = SeedStreams.Open(config.Seed, "links", edge++);
                var node = nodes[a]!;
                var scheduler = schedulerOf(a);
                for (var t = churn.SampleSecondsUntilLinkDrop(random); t < end;)
                {
                    scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(t), node.Transport, new DropLink(Address(b)), ActorRefs.NoSender);
                    recorder?.Churn(t, a, b, PeerEventKind.LinkDropped);
                    events++;
                    var relink = t + churn.SampleSecondsUntilRelink(random);
                    scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(relink), node.Transport, new Connect(Address(b)), node.Node);
                    recorder?.Churn(relink, a, b, PeerEventKind.LinkRedialled);
                    t = relink + churn.SampleSecondsUntilLinkDrop(random);
                }
            }
        }
        return events;
    }

    internal static string Address(int id) => "n" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static int AddressIndex(string address) => int.Parse(address.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);

    internal static NodeSettings SettingsFor(SimulationConfig config, NodeSeeds seeds, IdentityPlan plan, ScenarioModel scenario,
        CertificateAuthority authority, TrustedAuthorities trusted, SweetGossip.Node.Observation.INodeObserver observer, DateTimeOffset start)
    {
        var key = seeds.IdentityKey(plan.Id);
        var prices = scenario.Prices;
        var policy = scenario.PolicyFor(plan.Id);
        var attack = plan.Attack?.Attack;
        var settings = NodeDefaults.Node with
        {
            Identity = key,
            CertificateKey = key,
            Certificate = authority.Issue(key.PublicKey, scenario.CertificateRole(plan.Id), [], start.AddDays(-1), start.AddDays(30),
                new CertificateSerial(new Guid(SeedStreams.Derive(config.Seed, "serial", plan.Id).ToString("x16").PadLeft(32, '0')))),
            Trusted = trusted,
            ContactAddress = Address(plan.Id),
            StaticPeers = plan.Dials.Select(Address).ToArray(),
            Fanout = config.Fanout,
            Dissemination = config.Dissemination,
            OriginCoverKeep = config.OriginCoverKeep ?? NodeDefaults.Node.OriginCoverKeep,
            GatherWindow = config.AnnounceGatherWindowMs is { } gather ? TimeSpan.FromMilliseconds(gather) : NodeDefaults.Node.GatherWindow,
            MaxHops = config.Hops,
            BaseDifficultyBits = config.DifficultyBits,
            FavourPriceMsat = prices.FavourPriceMsat > 0 ? (ulong)prices.FavourPriceMsat : null,
            MaxFavourPriceMsat = (ulong)Math.Max(10_000, prices.FavourPriceMsat),
            RelayFeeMsat = (ulong)prices.RelayFeeMsat,
            // Free riders never pay for replies: middlemen see no thanks from them.
            AutoPayMaxMsat = attack?.Kind == AttackKind.FreeRider ? 0 : (ulong)(prices.DriverPriceMsat + 64 * prices.RelayFeeMsat),
            MaxRelayFeeMsat = (ulong)prices.RelayFeeMsat,
            MaxPathFeeMsat = (ulong)(64 * prices.RelayFeeMsat),
            ReplyPolicy = policy,
            PowWorkers = 1,
            Observer = observer,
            Entropy = seeds.EntropyOf(plan.Id),
            Seed = seeds.FanoutSeed(plan.Id),
        };
        return attack is null ? WithMitigations(settings, config.Mitigations) : settings;
    }

    /// <summary>An honest node's settings with the defences <paramref name="mitigations"/> turns off made lax (all on: unchanged).</summary>
    internal static NodeSettings WithMitigations(NodeSettings settings, Mitigations mitigations)
    {
        if (!mitigations.Scoring)
            settings = settings with
            {
                Scoring = settings.Scoring with
                {
                    MalformedWeight = 0, InvalidWeight = 0, WrongProofWeight = 0, DuplicateWeight = 0, FloodWeight = 0, DeliveryDeficitWeight = 0, UnredeemedFavourWeight = 0, UndeliveredFavourWeight = 0, PrefixWeight = 0,
                },
            };
        if (!mitigations.DifficultyRaise) settings = settings with { MaxExtraDifficultyBits = 0 };
        // A bucket no simulated peer can empty.
        if (!mitigations.PeerRate) settings = settings with { PeerFramesPerSecond = 1e9, PeerBurst = 1e9 };
        if (!mitigations.SpendLimit) settings = settings with { SpendMultiple = 1e9 };
        if (!mitigations.FavourAndReplyLimits)
            settings = settings with { MaxRepliesPerTopic = 1_000, FavourBookPerPeerCapacity = settings.FavourBookCapacity };
        if (!mitigations.OutboundQuota) settings = settings with { PeerChoice = settings.PeerChoice with { OutboundQuota = 0 } };
        if (!mitigations.AnnouncerRanking) settings = settings with { AnnounceRankByDeliveries = false };
        if (mitigations.DeliveryRanking && settings.PeerChoice.DeficitAfter == 0)
            settings = settings with { PeerChoice = settings.PeerChoice with { DeficitAfter = Mitigations.DeliveryRankingDeficitAfter } };
        if (!mitigations.DeliveryRanking)
            settings = settings with
            {
                PeerChoice = settings.PeerChoice with { DeficitAfter = 0, Exploration = 0 },
                Scoring = settings.Scoring with { DeliveryDeficitWeight = 0 },
            };
        if (!mitigations.OpportunisticGrafting || !mitigations.DeliveryRanking) settings = settings with { PeerChoice = settings.PeerChoice with { GraftEvery = 0 } };
        else if (settings.PeerChoice.GraftEvery == 0)
            settings = settings with { PeerChoice = settings.PeerChoice with { GraftEvery = Mitigations.GraftEveryForRelays } };
        settings = settings with
        {
            PeerChoice = settings.PeerChoice with
            {
                ExtraAsks = !mitigations.ExtraAsks ? 0 : settings.PeerChoice.ExtraAsks == 0 ? Mitigations.ExtraAsksForUnproven : settings.PeerChoice.ExtraAsks,
            },
        };
        return settings;
    }

    /// <summary>What an attacker withholds and repeats, from when its attack turns; its target is the victim's certificate key.</summary>
    internal static AttackRules RulesFor(NodeSeeds seeds, Attack attack, NodeSettings settings, DateTimeOffset start) =>
        new(attack, start + TimeSpan.FromSeconds(attack.MisbehaviourStartSeconds), settings.CertificateKey.PublicKey,
            attack.TargetNode is { } target ? seeds.IdentityKey(target).PublicKey : null);

    internal static MoneyCheck CountMoney(EmbeddedLightningNetwork lightning, ulong openingBalanceMsat, out int openHtlcs)
    {
        ulong available = 0, locked = 0;
        openHtlcs = 0;
        var accounts = lightning.Nodes.Count; // a copy per call: read once
        for (var account = 0; account < accounts; account++)
        {
            var balance = lightning.Ledger.GetBalance(account);
            available += balance.AvailableMsat;
            locked += balance.OutgoingLockedMsat;
            if (balance.OutgoingLockedMsat > 0) openHtlcs++;
        }
        return new MoneyCheck((ulong)accounts * openingBalanceMsat, available, locked);
    }
}
