using SweetGossip.Node.Policies;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Core;

/// <summary>
/// Everything that makes one node behave as it does. Read from HOCON (<see cref="Hosting.NodeSettingsLoader"/>); every
/// value is required, so reference.conf is the one place of defaults: tests and the simulator start from
/// <see cref="Hosting.NodeDefaults.Node"/> (<c>NodeDefaults.Node with { Identity = …, … }</c>). Only the wiring that is
/// no setting (observer, entropy, seed) has a default here.
/// </summary>
public sealed record NodeSettings
{
    /// <summary>Link identity: the key peers authenticate this node by.</summary>
    public required PrivateKey Identity { get; init; }

    /// <summary>The key this node's certificate was issued to (signs requests and reply commitments).</summary>
    public required PrivateKey CertificateKey { get; init; }

    public required SignedCertificate Certificate { get; init; }

    public required TrustedAuthorities Trusted { get; init; }

    /// <summary>Where the originator can reach this node directly for Validate/Ack.</summary>
    public required string ContactAddress { get; init; }

    /// <summary>Addresses this node connects to when it starts.</summary>
    public required IReadOnlyList<string> StaticPeers { get; init; }

    /// <summary>How many peers a topic is passed on to.</summary>
    public required int Fanout { get; init; }

    /// <summary>How a topic is passed on: to <see cref="Fanout"/> random peers, or announced to all (docs/protocol.md D24).</summary>
    public required Dissemination Dissemination { get; init; }

    /// <summary>Announce mode: a favour granted for an announcement and not redeemed within this goes to the next announcer.</summary>
    public required TimeSpan DeliverTimeout { get; init; }

    /// <summary>Announce mode: an announcement stays open for conditions this long (<see cref="AskTimeout"/> is for fanout's asks).</summary>
    public required TimeSpan AnnounceAskTimeout { get; init; }

    /// <summary>Announce mode: an announcer that delivered a payload first here before counts one hop more in the gather.</summary>
    public required bool AnnounceRankByDeliveries { get; init; }

    /// <summary>Announce mode: announcers of a new payload gathered this long; the one on the shortest path is granted first.</summary>
    public required TimeSpan GatherWindow { get; init; }

    /// <summary>Announce mode: further announcers remembered per payload not yet received.</summary>
    public required int MaxAnnouncers { get; init; }

    /// <summary>Announce mode: payloads announced but not yet received, remembered at once.</summary>
    public required int AnnouncedCapacity { get; init; }

    /// <summary>Announce mode with a favour price: invoices one peer's announcements may have out, unredeemed, at once.</summary>
    public required int AnnounceMaxUnredeemedPricedFavours { get; init; }

    /// <summary>Announce mode: <see cref="SpendMultiple"/> for announced topics (a relay may sponsor every neighbour lacking the payload).</summary>
    public required double AnnounceSpendMultiple { get; init; }

    /// <summary>hops_remaining this node puts on topics it originates.</summary>
    public required int MaxHops { get; init; }

    /// <summary>
    /// Originator cover (docs/protocol.md D23): the chance a relay passes a broadcast at the maximum hops on unchanged,
    /// and the ratio of the geometric number of virtual hops an originator's path fee pretends. 0 turns the cover off.
    /// </summary>
    public required double OriginCoverKeep { get; init; }

    /// <summary>PoW difficulty asked of a peer that has always thanked.</summary>
    public required int BaseDifficultyBits { get; init; }

    /// <summary>How much higher the difficulty can go for peers that never thank.</summary>
    public required int MaxExtraDifficultyBits { get; init; }

    public required int UnthankedPerExtraBit { get; init; }

    /// <summary>The highest difficulty this node will solve when asking a favour; above it, it asks elsewhere.</summary>
    public required int MaxAcceptedDifficultyBits { get; init; }

    /// <summary>When set, favours are priced in sats (Lightning conditions) instead of PoW.</summary>
    public required ulong? FavourPriceMsat { get; init; }

    /// <summary>The highest Lightning favour price this node pays when asking.</summary>
    public required ulong MaxFavourPriceMsat { get; init; }

    /// <summary>Fee this node adds for carrying a reply back.</summary>
    public required ulong RelayFeeMsat { get; init; }

    public required TimeSpan FavourValidity { get; init; }

    public required int FavourBookCapacity { get; init; }

    /// <summary>Open favours one asking peer may hold at once (one per payload in any case).</summary>
    public required int FavourBookPerPeerCapacity { get; init; }

    /// <summary>How much of a paid favour must be left for its payer to redeem it; a later payment is refunded.</summary>
    public required TimeSpan FavourRedeemMargin { get; init; }

    /// <summary>
    /// Topics in flight at once (each an actor until its request and reply invoice expire). Past it no favour is granted
    /// for a new payload: a topic costs its sender a favour, but lives up to the request's lifetime (days) after.
    /// </summary>
    public required int MaxTopics { get; init; }

    /// <summary>
    /// How long a closed link's connection at most hands back frames that still reach it (<c>link-drain.timeout</c>): it
    /// stops earlier, once every topic told the link closed has released it; past this a late frame is lost as before.
    /// </summary>
    public required TimeSpan LinkDrainTimeout { get; init; }

    /// <summary>How long a frame a closed link handed back waits for its peer's next link (<c>link-drain.hold-for</c>).</summary>
    public required TimeSpan LinkDrainHoldFor { get; init; }

    /// <summary>Frames handed back held for one peer at once (<c>link-drain.hold-frames-per-peer</c>); more are dropped.</summary>
    public required int LinkDrainHoldFramesPerPeer { get; init; }

    /// <summary>Frames handed back held for all peers at once (<c>link-drain.hold-frames</c>); more are dropped.</summary>
    public required int LinkDrainHoldFrames { get; init; }

    /// <summary>Replies a topic accepts in all (each opens a relay and a hold invoice); more are dropped and scored.</summary>
    public required int MaxRepliesPerTopic { get; init; }

    /// <summary>How long after its reply was paid a peer has to send its ThankYou before it counts as unthanked.</summary>
    public required TimeSpan ThankYouTimeout { get; init; }

    /// <summary>An ask not answered by conditions within this is given up, and another peer asked instead.</summary>
    public required TimeSpan AskTimeout { get; init; }

    /// <summary>Asks one topic sends in all, declined and timed-out ones included (the fanout budget).</summary>
    public required int MaxAsksPerTopic { get; init; }

    /// <summary>Which peers a topic asks: outbound quota, delivery ranking, exploration (<see cref="Routing.PeerChoice"/>).</summary>
    public required Routing.PeerChoiceSettings PeerChoice { get; init; }

    /// <summary>
    /// A relay spends on one topic's favours at most this multiple of what its source proved or paid for it
    /// (expected hashes, or msat); a topic this node originates is bounded by the difficulty and price caps alone.
    /// </summary>
    public required double SpendMultiple { get; init; }

    /// <summary>Proofs of work waiting for a worker at once; past it a topic's favour is declined.</summary>
    public required int PowQueueCapacity { get; init; }

    /// <summary>
    /// A proof of work not done this long before its favour's deadline (announce mode: the grantor's deliver-timeout,
    /// assumed the same as this node's) is given up and the favour declined, so the decline arrives while it still excuses.
    /// </summary>
    public required TimeSpan PowDeclineMargin { get; init; }

    public required TimeSpan ReplyInvoiceExpiry { get; init; }

    /// <summary>How long the originator waits for the replier's Ack to its direct Validate before delivering the reply unconfirmed.</summary>
    public required TimeSpan ValidateTimeout { get; init; }

    public required int ReplyCltvExpiryDelta { get; init; }

    /// <summary>The originator pays the first reply whose total (price + path fees) is at most this.</summary>
    public required ulong AutoPayMaxMsat { get; init; }

    /// <summary>The most an originator pays the middlemen of one reply in all (its total minus the replier's price).</summary>
    public required ulong MaxPathFeeMsat { get; init; }

    /// <summary>The most an originator pays per middleman: path fees above this × <see cref="MaxHops"/> are refused.</summary>
    public required ulong MaxRelayFeeMsat { get; init; }

    public required IReplyPolicy ReplyPolicy { get; init; }

    public required PeerScoreParameters Scoring { get; init; }

    public required double PeerFramesPerSecond { get; init; }

    public required double PeerBurst { get; init; }

    public required int PowWorkers { get; init; }

    /// <summary>Receives what the node reports about itself (metrics); nothing by default.</summary>
    public Observation.INodeObserver Observer { get; init; } = Observation.NoObserver.Instance;

    /// <summary>Fresh ids, secrets and reply keys come from here: secure by default, seeded only in simulations.</summary>
    public Entropy Entropy { get; init; } = Entropy.Secure;

    /// <summary>Seed for peer selection; fixed in simulations for reproducible runs.</summary>
    public int? Seed { get; init; }
}
