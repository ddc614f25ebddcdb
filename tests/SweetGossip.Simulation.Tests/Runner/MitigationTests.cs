using SweetGossip.Node.Hosting;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Runner;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Topology;
using Xunit.Abstractions;

namespace SweetGossip.Simulation.Tests.Runner;

/// <summary>
/// The same attacked city with one of the node's defences on and off (same seed): what the defence changes for honest
/// peers. Only what a defence measurably does is asserted; docs/simulation.md ("Mitigations measured") has the rest,
/// including the defences that change nothing in these attacks.
/// </summary>
public sealed class MitigationTests(ITestOutputHelper output)
{
    private static SimulationConfig City(int peers, int degree, double seconds, double topicsPerMinute, Attack attack, double drivers = 0.5, int areaPrecision = 3) => new()
    {
        Seed = 5,
        DurationSeconds = seconds,
        Fanout = 3,
        DifficultyBits = 4,
        Hops = 10,
        Topology = TopologySpec.RandomRegular(degree),
        Taxi = new TaxiScenario { Peers = peers, DriverFraction = drivers, RiderTopicsPerMinute = topicsPerMinute, DriverAreaPrecision = areaPrecision },
        Attacks = new ValueList<Attack>([attack]),
    };

    /// <summary>Topics honest scenario peers received, over those they could have (every topic but their own).</summary>
    internal static double HonestDelivery(SimulationRun run)
    {
        var honest = run.Results.Peers.Where(p => p.Node < run.Config.PeerCount && p.Honest).ToArray();
        var ids = honest.Select(p => p.Node).ToHashSet();
        var possible = run.Results.Topics.Sum(t => (long)honest.Length - (ids.Contains(t.Origin) ? 1 : 0));
        return possible == 0 ? 0 : honest.Sum(p => (long)p.TopicsReceived) / (double)possible;
    }

    private SimulationRun Run(string name, SimulationConfig config)
    {
        var run = SimulationRunner.Run(config);
        var honest = run.Results.Peers.Where(p => p.Honest).ToArray();
        var dishonest = run.Results.Peers.Where(p => !p.Honest).ToArray();
        output.WriteLine($"{name,-16} delivery {HonestDelivery(run):0.0000} duplicates/honest {honest.Average(p => p.DuplicatesReceived):0.0} frames {run.Summary.Frames} " +
                         $"PoW honest {honest.Sum(p => p.PowHashes)} dishonest {dishonest.Sum(p => p.PowHashes)} net sat honest {honest.Average(p => p.NetMsat) / 1000:0.0} dishonest {dishonest.Average(p => p.NetMsat) / 1000:0.0}");
        Assert.Equal(0, run.Statistics.ForeignWorkItems);
        Assert.True(run.Money.Conserved, run.Money.ToString());
        return run;
    }

    [Fact]
    public void All_mitigations_on_is_the_node_s_defaults_with_delivery_ranking_and_the_default()
    {
        Assert.Equal(Mitigations.AllOn, new SimulationConfig().Mitigations);
        var settings = NodeDefaults.Node;
        // A node's default leaves delivery ranking off (leaves never offer topics); the simulated relays turn it on.
        Assert.Equal(0, settings.PeerChoice.DeficitAfter);
        Assert.Equal(0, settings.PeerChoice.ExtraAsks);
        Assert.Equal(0, settings.PeerChoice.GraftEvery);
        Assert.Equal(settings with
            {
                PeerChoice = settings.PeerChoice with
                {
                    DeficitAfter = Mitigations.DeliveryRankingDeficitAfter, ExtraAsks = Mitigations.ExtraAsksForUnproven, GraftEvery = Mitigations.GraftEveryForRelays,
                },
            },
            SimulationRunner.WithMitigations(settings, Mitigations.AllOn));
        var off = SimulationRunner.WithMitigations(settings, new Mitigations
        {
            Scoring = false, DifficultyRaise = false, PeerRate = false, SpendLimit = false, FavourAndReplyLimits = false, OutboundQuota = false, DeliveryRanking = false, ExtraAsks = false,
        });
        Assert.Equal(0, off.Scoring.DuplicateWeight);
        Assert.Equal(0, off.Scoring.DeliveryDeficitWeight);
        Assert.Equal(SweetGossip.Node.Routing.PeerChoiceSettings.Uniform, off.PeerChoice);
        Assert.Equal(0, off.MaxExtraDifficultyBits);
        Assert.True(off.PeerFramesPerSecond > settings.PeerFramesPerSecond);
        Assert.True(off.SpendMultiple > settings.SpendMultiple);
        Assert.True(off.MaxRepliesPerTopic > settings.MaxRepliesPerTopic);
    }

    [Fact]
    public void A_config_names_the_mitigations_it_turns_off_and_refuses_unknown_ones()
    {
        var config = SimulationConfigJson.Parse("""{"mitigations":{"scoring":false,"difficultyRaise":false}}""");
        Assert.Equal(new Mitigations { Scoring = false, DifficultyRaise = false }, config.Mitigations);
        Assert.Equal(config, SimulationConfigJson.Parse(SimulationConfigJson.Serialize(config)));
        var error = Assert.Throws<SimulationConfigException>(() => SimulationConfigJson.Parse("""{"mitigations":{"mesh":false}}"""));
        Assert.Contains("mesh", error.Message);
    }

    /// <summary>
    /// A chatterbox's repeated asks are judged duplicates: with scoring the honest peers drop and ban it and receive far
    /// fewer copies. (It also costs delivery here: a chatterbox's own broadcasts reach peers nobody else picked, and a
    /// banned one takes its links out of the graph. Measured, not asserted: docs/simulation.md.)
    /// </summary>
    [Fact]
    public void Scoring_bans_chatterboxes_and_honest_peers_receive_fewer_duplicates()
    {
        var city = City(150, 6, 180, 8, new Attack { Kind = AttackKind.Chatterbox, Fraction = 0.2 }, drivers: 0.3, areaPrecision: 4);
        var on = Run("scoring on", city);
        var off = Run("scoring off", city with { Mitigations = new Mitigations { Scoring = false } });
        Assert.True(HonestDuplicates(on) < 0.75 * HonestDuplicates(off), $"{HonestDuplicates(on)} against {HonestDuplicates(off)}");
        Assert.True(on.Summary.Frames < off.Summary.Frames);
    }

    /// <summary>
    /// A free rider never pays the replies to its topics, so the relays that carried them count it unthanked and ask it
    /// a higher difficulty: it solves more. So do the honest relays on those paths (their own upstream was never paid
    /// either), by far more: the raise punishes the path, not the free rider. Both asserted; the run must outlast the
    /// reply invoices (30 min) for an unpaid relay to end at all.
    /// </summary>
    [Fact]
    public void The_difficulty_raise_makes_free_riders_solve_more_and_the_honest_relays_on_their_paths_far_more()
    {
        // Delivery ranking and the outbound quota off in both: they change who is asked at all, which hides the raise's own effect.
        var city = City(60, 4, 3600, 3, new Attack { Kind = AttackKind.FreeRider, Fraction = 0.3 }) with { Mitigations = new Mitigations { DeliveryRanking = false, OutboundQuota = false } };
        var on = Run("raise on", city);
        var off = Run("raise off", city with { Mitigations = new Mitigations { DeliveryRanking = false, OutboundQuota = false, DifficultyRaise = false } });
        var (riderOn, riderOff) = (Pow(on, honest: false), Pow(off, honest: false));
        var (honestOn, honestOff) = (Pow(on, honest: true), Pow(off, honest: true));
        Assert.True(riderOn > riderOff, $"free riders {riderOn} against {riderOff}");
        Assert.True((double)honestOn / honestOff > (double)riderOn / riderOff, $"honest {honestOn} against {honestOff}");
    }

    /// <summary>
    /// Sybils that only drop send nothing a rate limit or the difficulty raise judges: those two change not one number.
    /// (Scoring does now: the delivery-deficit penalty takes a dropper's score below zero, and a peer below zero is not
    /// proven, so scoring is not in the switched-off set.)
    /// </summary>
    [Fact]
    public void Rate_and_raise_change_nothing_in_an_eclipse_by_droppers()
    {
        var city = City(100, 6, 120, 6, new Attack { Kind = AttackKind.Eclipse, Fraction = 0.2, TargetNode = 0, IdentitiesPerAttacker = 3 });
        var on = Run("all on", city);
        var off = Run("rate/raise off", city with { Mitigations = new Mitigations { PeerRate = false, DifficultyRaise = false } });
        Assert.Equal(on.Results, off.Results);
    }

    /// <summary>Small city of <see cref="DefenceCity"/>: 150 peers, 6-regular, 20 % attackers with 4 identities each where Sybils apply.</summary>
    private static SimulationConfig DefenceCity(Attack attack) =>
        City(150, 6, 180, 8, attack, drivers: 0.3, areaPrecision: 4);

    /// <summary>
    /// Flash: Sybils join at 30 s (4 identities per attacker, dialling every neighbour of the attacker) and drop everything.
    /// With delivery ranking, a peer handed topics that never offers one is asked last, and peers that offered topics
    /// first: honest peers keep handing topics to each other. Without it, a relay's uniform pick goes mostly to Sybils.
    /// </summary>
    [Fact]
    public void Delivery_ranking_keeps_topics_flowing_past_a_flash_of_dropping_sybils()
    {
        var city = DefenceCity(new Attack { Kind = AttackKind.Flash, Fraction = 0.2, StartSeconds = 30, IdentitiesPerAttacker = 4 });
        var on = Run("ranking on", city);
        var off = Run("ranking off", city with { Mitigations = new Mitigations { DeliveryRanking = false } });
        Assert.True(HonestDelivery(on) > HonestDelivery(off) + 0.1, $"{HonestDelivery(on)} against {HonestDelivery(off)}");
    }

    /// <summary>Silent peers take topics and pass none on: delivery ranking stops handing them topics once they are in deficit.</summary>
    [Fact]
    public void Delivery_ranking_routes_around_silent_peers()
    {
        // Extra asks off in both: with them, ranking off does better against silent peers (97.5 % against 95.7 %,
        // docs/simulation.md): asks to silent peers, never proven, bring extra asks anyway.
        var city = DefenceCity(new Attack { Kind = AttackKind.Silent, Fraction = 0.2 }) with { Mitigations = new Mitigations { ExtraAsks = false } };
        var on = Run("ranking on", city);
        var off = Run("ranking off", city with { Mitigations = new Mitigations { DeliveryRanking = false, ExtraAsks = false } });
        Assert.True(HonestDelivery(on) > HonestDelivery(off) + 0.05, $"{HonestDelivery(on)} against {HonestDelivery(off)}");
    }

    /// <summary>
    /// Eclipse: every attacker's 4 identities dial its neighbours and the target, so a peer next to an attacker has more
    /// Sybil links than honest ones. The outbound quota sends a topic's first ask to a peer the relay dialled itself,
    /// which Sybils dialling in cannot be. Measured with delivery ranking and extra asks off in both runs: ranking already asks dialled
    /// peers before inbound ones it has not heard from, and with it on the quota adds nothing measurable here
    /// (docs/simulation.md).
    /// </summary>
    [Fact]
    public void The_outbound_quota_keeps_topics_flowing_past_sybils_dialling_in()
    {
        var city = DefenceCity(new Attack { Kind = AttackKind.Eclipse, Fraction = 0.2, TargetNode = 0, IdentitiesPerAttacker = 4 });
        var on = Run("quota on", city with { Mitigations = new Mitigations { DeliveryRanking = false, ExtraAsks = false } });
        var off = Run("quota off", city with { Mitigations = new Mitigations { DeliveryRanking = false, OutboundQuota = false, ExtraAsks = false } });
        Assert.True(HonestDelivery(on) > HonestDelivery(off), $"{HonestDelivery(on)} against {HonestDelivery(off)}");
    }

    /// <summary>
    /// Cold boot: Sybils relay while the city bootstraps (and so are proven), then drop everything from 30 s. Each ask a
    /// topic spends on a peer not proven (no first delivery since its deficit) brings one more ask (extra-asks 2), which
    /// goes to proven relays first: the Sybils still take asks, but no longer use up the fanout.
    /// </summary>
    [Fact]
    public void Extra_asks_keep_topics_flowing_past_a_cold_boot_of_sybils()
    {
        var city = DefenceCity(new Attack { Kind = AttackKind.ColdBoot, Fraction = 0.2, StartSeconds = 30, IdentitiesPerAttacker = 4 });
        var on = Run("extra asks on", city);
        var off = Run("extra asks off", city with { Mitigations = new Mitigations { ExtraAsks = false } });
        Assert.True(HonestDelivery(on) > HonestDelivery(off) + 0.1, $"{HonestDelivery(on)} against {HonestDelivery(off)}");
    }

    /// <summary>
    /// Flash: 4 Sybil identities per attacker dial in at 30 s and drop everything. A relay's honest downstream neighbours are
    /// in deficit by then (it handed them topics; they seldom deliver it one first) and rank behind every Sybil not heard
    /// from, so its asks go to Sybils and to upstream peers that have the topic. Opportunistic grafting sees the peers it
    /// would ask deliver nothing and asks the neighbours in deficit that delivered before, or that it dialled, again.
    /// </summary>
    [Fact]
    public void Opportunistic_grafting_keeps_topics_flowing_to_honest_neighbours_in_deficit_after_a_flash()
    {
        var city = DefenceCity(new Attack { Kind = AttackKind.Flash, Fraction = 0.2, StartSeconds = 30, IdentitiesPerAttacker = 4 });
        var on = Run("grafting on", city);
        var off = Run("grafting off", city with { Mitigations = new Mitigations { OpportunisticGrafting = false } });
        // 90.9 % against 86.7 % (before offerers were excluded from a payload's asks: 90.2 % against 80.7 %).
        Assert.True(HonestDelivery(on) > HonestDelivery(off) + 0.03, $"{HonestDelivery(on)} against {HonestDelivery(off)}");
    }

    /// <summary>
    /// Announce dissemination (D24) as a defence: every honest peer that has a topic announces it to every neighbour, and
    /// a peer lacking it asks another announcer when a granted one does not deliver, so Sybils that take favours and never
    /// deliver cost a timeout, not a branch. 150 peers: announce 95.1 / 98.6 / 98.6 % against fanout 89.7 / 90.9 / 92.6 %
    /// (cold boot, flash, covert flash).
    /// </summary>
    [Theory]
    [InlineData(AttackKind.Flash)]
    [InlineData(AttackKind.ColdBoot)]
    [InlineData(AttackKind.CovertFlash)]
    public void Announce_dissemination_delivers_to_honest_peers_past_sybils_that_drop_topics(AttackKind kind)
    {
        var city = DefenceCity(new Attack { Kind = kind, Fraction = 0.2, StartSeconds = 30, CovertPeriodSeconds = kind == AttackKind.CovertFlash ? 30 : null, IdentitiesPerAttacker = 4 });
        var announce = Run("announce", city with { Dissemination = SweetGossip.Node.Core.Dissemination.Announce });
        var fanout = Run("fanout", city);
        Assert.True(HonestDelivery(announce) > HonestDelivery(fanout) + 0.03, $"{HonestDelivery(announce)} against {HonestDelivery(fanout)}");
    }

    /// <summary>
    /// Announce mode's announcer ranking (announce.rank-by-deliveries): a neighbour that delivered a payload first before
    /// is granted before a new announcer on an equally long path, so Sybil links around an eclipsed peer that announce
    /// and never deliver lose the gather to its proven neighbours. 150 peers, 480 Sybil identities, seed 5: 97.3 %
    /// against 93.2 %. (Under flash, covert flash and cold boot this city moved by −0.7 to −2.5 points, one seed;
    /// at GossipSub's scale docs/simulation.md has every attack.)
    /// </summary>
    [Fact]
    public void Ranking_announcers_that_delivered_before_helps_honest_peers_past_an_eclipse()
    {
        var city = DefenceCity(new Attack { Kind = AttackKind.Eclipse, Fraction = 0.2, TargetNode = 0, IdentitiesPerAttacker = 16 })
            with { Dissemination = SweetGossip.Node.Core.Dissemination.Announce };
        var on = Run("ranking on", city);
        var off = Run("ranking off", city with { Mitigations = Mitigations.AllOn with { AnnouncerRanking = false } });
        Assert.True(HonestDelivery(on) > HonestDelivery(off) + 0.01, $"{HonestDelivery(on)} against {HonestDelivery(off)}");
    }

    private static double HonestDuplicates(SimulationRun run) => run.Results.Peers.Where(p => p.Honest).Average(p => p.DuplicatesReceived);

    private static long Pow(SimulationRun run, bool honest) => run.Results.Peers.Where(p => p.Honest == honest).Sum(p => p.PowHashes);
}
