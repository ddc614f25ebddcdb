namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// Which of the node's defences honest peers run with, so that a run can measure what each one buys (all on by
/// default: the node's reference.conf settings). Turning one off changes only honest nodes' settings; attackers' nodes
/// keep the defaults (what they defend themselves with is not what is measured).
/// </summary>
public sealed record Mitigations
{
    public static readonly Mitigations AllOn = new();

    /// <summary>The score book (sweetgossip.scoring): off = every penalty weighs 0, so no peer is ever dropped or banned.</summary>
    public bool Scoring { get; init; } = true;

    /// <summary>PoW difficulty rising for peers that never thank (pow.max-extra): off = every peer is asked the base difficulty.</summary>
    public bool DifficultyRaise { get; init; } = true;

    /// <summary>The per-peer frame rate limit (peer-rate): off = no peer is ever judged to flood.</summary>
    public bool PeerRate { get; init; } = true;

    /// <summary>A relay spends on a topic at most spend-multiple × what its source paid: off = no bound but the caps.</summary>
    public bool SpendLimit { get; init; } = true;

    /// <summary>Replies a topic accepts (max-replies-per-topic) and open favours per asking peer: off = unbounded in practice.</summary>
    public bool FavourAndReplyLimits { get; init; } = true;

    /// <summary>The first asks of a topic go to peers the node dialled (peer-choice.outbound-quota, GossipSub's D_out): off = 0.</summary>
    public bool OutboundQuota { get; init; } = true;

    /// <summary>
    /// Announce mode: announcers that delivered a payload first before are granted before new ones
    /// (announce.rank-by-deliveries, GossipSub's first-message deliveries): off = misses, then hops_remaining.
    /// </summary>
    public bool AnnouncerRanking { get; init; } = true;

    /// <summary>
    /// Peers handed topics that never offer any are asked last and scored down, peers that offer are asked first, one ask
    /// explores (peer-choice.deficit-after and exploration, GossipSub's P3): off = a uniform choice, no deficit penalty.
    /// </summary>
    public bool DeliveryRanking { get; init; } = true;

    /// <summary>
    /// The deficit that ranks a peer last when <see cref="DeliveryRanking"/> is on and the node's own setting is off (a
    /// node's default, for the leaves of a real network): the simulated peers are all relays.
    /// </summary>
    public const int DeliveryRankingDeficitAfter = 4;

    /// <summary>
    /// A topic asks one more peer for each peer it asked that has not proven it passes topics on (no first delivery since
    /// its deficit), up to <see cref="ExtraAsksForUnproven"/> (peer-choice.extra-asks): a favour that may feed a dropper
    /// does not use up the fanout. Off = 0.
    /// </summary>
    public bool ExtraAsks { get; init; } = true;

    /// <summary>The extra asks when <see cref="ExtraAsks"/> is on and the node's own setting is off (as for the deficit).</summary>
    public const int ExtraAsksForUnproven = 2;

    /// <summary>
    /// GossipSub v1.1's opportunistic grafting (peer-choice.graft-every): while the peers a node asks first deliver little,
    /// peers in deficit that delivered more are asked again. Off = 0. Acts only with <see cref="DeliveryRanking"/> (no
    /// deficit without it).
    /// </summary>
    public bool OpportunisticGrafting { get; init; } = true;

    /// <summary>The grafting period, in topics accepted, when <see cref="OpportunisticGrafting"/> is on and the node's own setting is off.</summary>
    public const int GraftEveryForRelays = 3;
}
