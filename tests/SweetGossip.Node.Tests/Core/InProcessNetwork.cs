using Akka.Actor;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Policies;
using SweetGossip.Node.Tests.Support;
using SweetGossip.Node.Transport;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Topics;

namespace SweetGossip.Node.Tests.Core;

/// <summary>Several whole nodes in one actor system, linked in memory, paying over one embedded Lightning network.</summary>
public sealed class InProcessNetwork : IAsyncDisposable
{
    public const ulong Sat = 1000;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _directory = new();

    /// <param name="links">The in-memory network the nodes link over; null: a plain one (real nodes' actors).</param>
    /// <param name="config">HOCON over the nodes' defaults (e.g. another journal plugin).</param>
    public InProcessNetwork(InMemoryNetwork? links = null, string? config = null)
    {
        Links = links ?? new InMemoryNetwork();
        System = ActorSystem.Create("inproc-" + Guid.NewGuid().ToString("N")[..8], NodeConfig.Build(config, dataDirectory: _directory.Path));
        Lightning = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions { Seed = 7 });
        Authority = new CertificateAuthority("Test Taxi Council", PrivateKey.Generate());
        Trusted.Trust(Authority.Name, Authority.PublicKey);
    }

    public ActorSystem System { get; }
    public EmbeddedLightningNetwork Lightning { get; }
    public InMemoryNetwork Links { get; }
    public CertificateAuthority Authority { get; }
    public TrustedAuthorities Trusted { get; } = new();

    public RunningNode Start(string name, ulong balanceMsat, IReplyPolicy? policy = null, IReadOnlyList<string>? peers = null, Func<NodeSettings, NodeSettings>? tweak = null)
    {
        var settings = Settings(name, policy, name, peers ?? []) with { Seed = name.GetHashCode(StringComparison.Ordinal) };
        return NodeHost.StartInMemory(System, name, tweak is null ? settings : tweak(settings), Lightning.CreateNode(balanceMsat), Links, TimeProvider.System, NodeDefaults.Settlement);
    }

    /// <summary>A whole node on real TCP (loopback, an ephemeral port), dialling <paramref name="peers"/>.</summary>
    /// <param name="contactAddress">"": the bound address.</param>
    public async Task<ListeningNode> StartTcpAsync(string name, ulong balanceMsat, IReplyPolicy? policy = null, IReadOnlyList<ListeningNode>? peers = null,
        string contactAddress = "", Func<NodeSettings, NodeSettings>? tweak = null)
    {
        var settings = Settings(name, policy, contactAddress, peers?.Select(p => p.Listening.Address).ToArray() ?? []);
        return await NodeHost.StartTcpAsync(System, name, tweak is null ? settings : tweak(settings), NodeDefaults.Transport with { Listen = "127.0.0.1:0" },
            Lightning.CreateNode(balanceMsat), TimeProvider.System, NodeDefaults.Settlement);
    }

    /// <summary>Completes once the node reports at least <paramref name="count"/> linked peers.</summary>
    public static Task AwaitPeersAsync(ListeningNode node, int count) => AwaitPeersAsync(node.Running, count);

    /// <summary>Completes once the node reports at least <paramref name="count"/> linked peers.</summary>
    public static Task AwaitPeersAsync(RunningNode node, int count) =>
        Eventually.Value(() => node.Node.Ask<NodeStatus>(GetNodeStatus.Instance, Timeout), s => s.Peers >= count);

    /// <summary>The originator asks for a ride in Sydney's CBD; the reply it receives (paid, opened).</summary>
    public async Task<ReplyDelivered> OriginateAndAwaitReply(RunningNode originator)
    {
        var inbox = Inbox.Create(System);
        originator.Node.Tell(new SubscribeReplies(inbox.Receiver));
        var now = DateTimeOffset.UtcNow;
        originator.Node.Tell(new OriginateTopic(TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now), TimeSpan.FromMinutes(20)));
        return (ReplyDelivered)await inbox.ReceiveAsync(Timeout);
    }

    private NodeSettings Settings(string name, IReplyPolicy? policy, string contactAddress, IReadOnlyList<string> peers)
    {
        var key = PrivateKey.Generate();
        var now = DateTimeOffset.UtcNow;
        return NodeDefaults.Node with
        {
            Identity = key,
            CertificateKey = key,
            Certificate = Authority.Issue(key.PublicKey, policy is null ? "rider" : "taxi-driver", [], now.AddDays(-1), now.AddDays(30)),
            Trusted = Trusted,
            ContactAddress = contactAddress,
            StaticPeers = peers,
            BaseDifficultyBits = 8,
            PowWorkers = 1,
            ReplyPolicy = policy ?? NeverReply.Instance,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await System.Terminate();
        Lightning.Dispose();
        _directory.Dispose();
    }
}
