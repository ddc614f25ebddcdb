using System.Net;
using System.Reflection;
using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Configuration;

namespace SweetGossip.Cluster.Hosting;

/// <summary>
/// A hub member's cluster settings, read once from <c>sweetgossip.cluster</c> (defaults in this project's reference.conf).
/// A config without that section is a plain node: <see cref="Load"/> returns null and nothing of the cluster starts.
/// </summary>
public sealed partial record HubClusterSettings
{
    public const string Path = "sweetgossip.cluster";

    /// <summary>Members contacted to join; the first forms the cluster when none answers.</summary>
    public required IReadOnlyList<Address> SeedNodes { get; init; }

    /// <summary>This member's Akka.Remote address on the operator's private network (bound and advertised).</summary>
    public required string Hostname { get; init; }

    /// <summary>Advertised instead of <see cref="Hostname"/> when set (NAT, containers).</summary>
    public string? PublicHostname { get; init; }

    /// <summary>0 picks a free port (tests).</summary>
    public required int Port { get; init; }

    public IReadOnlyList<string> Roles { get; init; } = [];

    public required int MinNrOfMembers { get; init; }

    public required TimeSpan SplitBrainStableAfter { get; init; }

    public required int TopicShards { get; init; }

    public required TimeSpan MinClaimRetention { get; init; }

    public required TimeSpan MaxClaimRetention { get; init; }

    public required TimeSpan ClaimTimeout { get; init; }

    /// <summary>Claims sent for one topic (the first and its retries) before a member drops it unrelayed.</summary>
    public required int ClaimAttempts { get; init; }

    public required TimeSpan PeerLinkGossipInterval { get; init; }

    /// <summary>How often a member's node reads its hosted shards for the operator's metrics.</summary>
    public required TimeSpan MetricsInterval { get; init; }

    public required int MaxPeerLinks { get; init; }

    public required TimeSpan UnlinkedLinger { get; init; }

    /// <summary>A frame no link takes (its peer's link just moved) is held this long for the new link; zero: answered at once.</summary>
    public required TimeSpan HoldFor { get; init; }

    /// <summary>Frames held for one peer at most.</summary>
    public required int HoldFramesPerPeer { get; init; }

    /// <summary>Frames held for all peers of this member at most.</summary>
    public required int HoldFrames { get; init; }

    /// <summary>How often held frames are offered to the hub again.</summary>
    public required TimeSpan HoldRetryInterval { get; init; }

    /// <summary>Peers of this member's links the other members see at most (a sample drawn afresh each time), for their topics' asks.</summary>
    public required int PeerViewSize { get; init; }

    /// <summary>How often a member shows its links to the others even when they did not change (members that joined since learn them).</summary>
    public required TimeSpan PeerViewRefresh { get; init; }

    /// <summary>Answers per second one peer may send that its member cannot place (each is published to every member).</summary>
    public required int UnplacedOffersPerSecond { get; init; }

    /// <summary>Such answers one peer may send at once, before its rate applies; past both it is judged for flooding.</summary>
    public required int UnplacedOffersBurst { get; init; }

    /// <summary>Proof-of-work routees of one member's pool deployed on each member (ClusterRouterPool max-nr-of-instances-per-node).</summary>
    public required int PowInstancesPerMember { get; init; }

    /// <summary>Routees of one member's pool across the whole hub at most.</summary>
    public required int PowTotalInstances { get; init; }

    /// <summary>A routee searches one proof at most this long (a favour's end stops it earlier): cancellation does not cross members.</summary>
    public required TimeSpan PowMaxSolveTime { get; init; }

    /// <summary>The embedded defaults (<c>sweetgossip.cluster</c>).</summary>
    public static Config Reference { get; } = LoadReference();

    /// <summary>
    /// The settings of <paramref name="operatorConfig"/>'s <c>sweetgossip.cluster</c> over the defaults, or null when the
    /// operator wrote no such section (not a cluster member). Pass the operator's config, not one already merged with
    /// <see cref="Reference"/>, or every node would look like a member.
    /// </summary>
    /// <param name="systemName">The ActorSystem's name: every seed node must name the same system.</param>
    public static HubClusterSettings? Load(Config operatorConfig, string systemName)
    {
        if (!operatorConfig.HasPath(Path)) return null;
        var r = new ClusterConfigReader(operatorConfig.WithFallback(Reference), Path);
        var hostname = ReadHost(r, "hostname", required: true)!;
        var publicHostname = ReadHost(r, "public-hostname", required: false);
        if (IsWildcard(hostname) && publicHostname is null)
            throw r.Error("hostname", $"'{hostname}' binds every interface but cannot be advertised: set public-hostname to the member's private address");
        var allowPublic = r.Bool("allow-public-address");
        if (!allowPublic)
        {
            // Akka.Remote between members is not authenticated: whoever reaches it can join the hub.
            RefusePublic(r, "hostname", hostname);
            if (publicHostname is not null) RefusePublic(r, "public-hostname", publicHostname);
        }
        var minRetention = r.Duration("topics.min-claim-retention", TimeSpan.FromSeconds(1), TimeSpan.FromDays(8));
        var maxRetention = r.Duration("topics.max-claim-retention", TimeSpan.FromSeconds(1), TimeSpan.FromDays(8));
        if (maxRetention < minRetention)
            throw r.Error("topics.max-claim-retention", $"must not be shorter than topics.min-claim-retention ({minRetention})");
        return new HubClusterSettings
        {
            SeedNodes = ReadSeeds(r, systemName),
            Hostname = hostname,
            PublicHostname = publicHostname,
            Port = r.Int("port", 0, 65535),
            Roles = ReadRoles(r),
            MinNrOfMembers = r.Int("min-nr-of-members", 1, 1000),
            SplitBrainStableAfter = r.Duration("split-brain-stable-after", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
            TopicShards = r.Int("topics.number-of-shards", 1, 10_000),
            MinClaimRetention = minRetention,
            MaxClaimRetention = maxRetention,
            ClaimTimeout = r.Duration("topics.claim-timeout", TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5)),
            ClaimAttempts = r.Int("topics.claim-attempts", 1, 20),
            MetricsInterval = r.Duration("metrics-interval", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            PeerLinkGossipInterval = r.Duration("peer-links.gossip-interval", TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1)),
            MaxPeerLinks = r.Int("peer-links.max-links", 1, 1_000_000),
            UnlinkedLinger = r.Duration("peer-links.unlinked-linger", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            HoldFor = r.Duration("peer-links.hold-for", TimeSpan.Zero, TimeSpan.FromMinutes(1)),
            HoldFramesPerPeer = r.Int("peer-links.hold-frames-per-peer", 1, 1024),
            HoldFrames = r.Int("peer-links.hold-frames", 1, 1_000_000),
            HoldRetryInterval = r.Duration("peer-links.hold-retry-interval", TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1)),
            PeerViewSize = r.Int("peer-links.view-size", 0, Peers.MemberPeerLinks.MaxPeers),
            PeerViewRefresh = r.Duration("peer-links.view-refresh", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            UnplacedOffersPerSecond = r.Int("peer-links.unplaced-offers-per-second", 1, 1000),
            UnplacedOffersBurst = r.Int("peer-links.unplaced-offers-burst", 1, 10_000),
            PowInstancesPerMember = r.Int("pow.max-nr-of-instances-per-node", 0, 1024) is var perMember and > 0 ? perMember : Environment.ProcessorCount,
            PowTotalInstances = r.Int("pow.total-instances", 1, 100_000),
            PowMaxSolveTime = r.Duration("pow.max-solve-time", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
        };
    }

    /// <summary>
    /// The Akka configuration of a member: cluster provider, remoting on the private address, keep-majority split-brain
    /// resolver, graceful leave on process exit, sharding without remembered entities, and the allow-listed serializer.
    /// Put it over the node's own config when creating the ActorSystem.
    /// </summary>
    public Config ToAkkaConfig() => AkkaClusterConfig.For(this);

    private static IReadOnlyList<Address> ReadSeeds(ClusterConfigReader r, string systemName)
    {
        var texts = r.Strings("seed-nodes");
        if (texts.Count == 0) throw r.Error("seed-nodes", "at least one seed node is required (akka.tcp://" + systemName + "@host:port)");
        if (texts.Count > 64) throw r.Error("seed-nodes", $"at most 64 seed nodes (got {texts.Count})");
        var seeds = new List<Address>(texts.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            var key = $"seed-nodes[{i}]";
            Address seed;
            try
            {
                seed = Address.Parse(texts[i]);
            }
            catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
            {
                throw r.Error(key, $"'{texts[i]}' is not an address like akka.tcp://{systemName}@10.0.0.1:4053", e);
            }
            if (seed.Protocol != "akka.tcp") throw r.Error(key, $"'{texts[i]}' must use akka.tcp (got {seed.Protocol})");
            if (seed.System != systemName) throw r.Error(key, $"'{texts[i]}' names system '{seed.System}', this member's is '{systemName}'");
            if (string.IsNullOrEmpty(seed.Host) || seed.Port is not (> 0 and <= 65535))
                throw r.Error(key, $"'{texts[i]}' needs a host and a port 1..65535");
            if (seeds.Contains(seed)) throw r.Error(key, $"'{texts[i]}' is listed twice");
            seeds.Add(seed);
        }
        return seeds;
    }

    private static string? ReadHost(ClusterConfigReader r, string name, bool required)
    {
        var text = r.String(name).Trim();
        if (text.Length == 0)
            return required ? throw r.Error(name, "required: this member's address on the operator's private network") : null;
        if (text.Length > 253 || Uri.CheckHostName(text) == UriHostNameType.Unknown)
            throw r.Error(name, $"'{text}' is not an IP address or host name");
        return text;
    }

    private static bool IsWildcard(string host) =>
        IPAddress.TryParse(host, out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any));

    /// <summary>A literal public IP is refused; names cannot be judged without resolving them, so they pass.</summary>
    private static void RefusePublic(ClusterConfigReader r, string name, string host)
    {
        if (!IPAddress.TryParse(host, out var ip) || IsWildcard(host) || IsPrivate(ip)) return;
        throw r.Error(name, $"'{host}' is a public address: members talk unauthenticated Akka.Remote, so use a private network " +
                            "(or set allow-public-address = on behind a firewall that admits only the members)");
    }

    internal static bool IsPrivate(IPAddress ip)
    {
        if (IPAddress.IsLoopback(ip)) return true;
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        if (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
            return ip.IsIPv6LinkLocal || ip.IsIPv6SiteLocal || ip.IsIPv6UniqueLocal;
        var b = ip.GetAddressBytes();
        return b[0] == 10
               || (b[0] == 172 && b[1] is >= 16 and <= 31)
               || (b[0] == 192 && b[1] == 168)
               || (b[0] == 169 && b[1] == 254)
               || (b[0] == 100 && b[1] is >= 64 and <= 127); // carrier-grade NAT, used by overlay networks
    }

    private static IReadOnlyList<string> ReadRoles(ClusterConfigReader r)
    {
        var roles = r.Strings("roles");
        if (roles.Count > 16) throw r.Error("roles", $"at most 16 roles (got {roles.Count})");
        foreach (var role in roles)
        {
            if (!RoleName().IsMatch(role)) throw r.Error("roles", $"'{role}' must be 1-32 letters, digits or '-'");
        }
        return roles.Distinct().ToList();
    }

    [GeneratedRegex("^[A-Za-z0-9-]{1,32}$")]
    private static partial Regex RoleName();

    private static Config LoadReference()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("SweetGossip.Cluster.reference.conf")
                           ?? throw new InvalidOperationException("SweetGossip.Cluster.reference.conf is not embedded");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
