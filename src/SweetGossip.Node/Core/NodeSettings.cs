using SweetGossip.Node.Policies;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Core;

/// <summary>
/// Everything that makes one node behave as it does. Read from HOCON by the host; built directly by
/// tests and the simulator.
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
    public IReadOnlyList<string> StaticPeers { get; init; } = [];

    /// <summary>How many peers a topic is passed on to.</summary>
    public int Fanout { get; init; } = 4;

    /// <summary>hops_remaining this node puts on topics it originates.</summary>
    public int MaxHops { get; init; } = 8;

    /// <summary>
    /// Originator cover (docs/protocol.md D23): the chance a relay passes a broadcast at the maximum hops on unchanged,
    /// and the ratio of the geometric number of virtual hops an originator's path fee pretends. 0 turns the cover off.
    /// </summary>
    public double OriginCoverKeep { get; init; } = 0.5;

    /// <summary>PoW difficulty asked of a peer that has always thanked.</summary>
    public int BaseDifficultyBits { get; init; } = 12;

    /// <summary>How much higher the difficulty can go for peers that never thank.</summary>
    public int MaxExtraDifficultyBits { get; init; } = 8;

    public int UnthankedPerExtraBit { get; init; } = 2;

    /// <summary>The highest difficulty this node will solve when asking a favour; above it, it asks elsewhere.</summary>
    public int MaxAcceptedDifficultyBits { get; init; } = 24;

    /// <summary>When set, favours are priced in sats (Lightning conditions) instead of PoW.</summary>
    public ulong? FavourPriceMsat { get; init; }

    /// <summary>The highest Lightning favour price this node pays when asking.</summary>
    public ulong MaxFavourPriceMsat { get; init; } = 10_000;

    /// <summary>Fee this node adds for carrying a reply back.</summary>
    public ulong RelayFeeMsat { get; init; } = 1_000;

    public TimeSpan FavourValidity { get; init; } = TimeSpan.FromMinutes(2);

    public int FavourBookCapacity { get; init; } = 10_000;

    /// <summary>Open favours one asking peer may hold at once (one per payload in any case).</summary>
    public int FavourBookPerPeerCapacity { get; init; } = 1_024;

    /// <summary>
    /// Topics in flight at once (each an actor until its request and reply invoice expire). Past it no favour is granted
    /// for a new payload: a topic costs its sender a favour, but lives up to the request's lifetime (days) after.
    /// </summary>
    public int MaxTopics { get; init; } = 100_000;

    /// <summary>Replies a topic accepts in all (each opens a relay and a hold invoice); more are dropped and scored.</summary>
    public int MaxRepliesPerTopic { get; init; } = 8;

    /// <summary>How long after its reply was paid a peer has to send its ThankYou before it counts as unthanked.</summary>
    public TimeSpan ThankYouTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An ask not answered by conditions within this is given up, and another peer asked instead.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Asks one topic sends in all, declined and timed-out ones included (the fanout budget).</summary>
    public int MaxAsksPerTopic { get; init; } = 8;

    /// <summary>
    /// A relay spends on one topic's favours at most this multiple of what its source proved or paid for it
    /// (expected hashes, or msat); a topic this node originates is bounded by the difficulty and price caps alone.
    /// </summary>
    public double SpendMultiple { get; init; } = 4;

    /// <summary>Proofs of work waiting for a worker at once; past it a topic's favour is declined.</summary>
    public int PowQueueCapacity { get; init; } = 1_024;

    public TimeSpan ReplyInvoiceExpiry { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How long the originator waits for the replier's Ack to its direct Validate before delivering the reply unconfirmed.</summary>
    public TimeSpan ValidateTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public int ReplyCltvExpiryDelta { get; init; } = 40;

    /// <summary>The originator pays the first reply whose total (price + path fees) is at most this.</summary>
    public ulong AutoPayMaxMsat { get; init; } = 100_000_000;

    /// <summary>The most an originator pays the middlemen of one reply in all (its total minus the replier's price).</summary>
    public ulong MaxPathFeeMsat { get; init; } = 100_000;

    /// <summary>The most an originator pays per middleman: path fees above this × <see cref="MaxHops"/> are refused.</summary>
    public ulong MaxRelayFeeMsat { get; init; } = 10_000;

    public IReplyPolicy ReplyPolicy { get; init; } = NeverReply.Instance;

    public PeerScoreParameters Scoring { get; init; } = PeerScoreParameters.Default;

    public double PeerFramesPerSecond { get; init; } = 200;

    public double PeerBurst { get; init; } = 400;

    public int PowWorkers { get; init; } = Environment.ProcessorCount;

    /// <summary>Receives what the node reports about itself (metrics); nothing by default.</summary>
    public Observation.INodeObserver Observer { get; init; } = Observation.NoObserver.Instance;

    /// <summary>Fresh ids, secrets and reply keys come from here: secure by default, seeded only in simulations.</summary>
    public Entropy Entropy { get; init; } = Entropy.Secure;

    /// <summary>Seed for peer selection; fixed in simulations for reproducible runs.</summary>
    public int? Seed { get; init; }
}
