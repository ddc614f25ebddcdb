using Akka.Actor;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Policies;
using SweetGossip.Node.Tests.Support;
using SweetGossip.Node.Transport;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Node.Tests.Core;

/// <summary>Several whole nodes in one actor system, linked in memory, paying over one embedded Lightning network.</summary>
public sealed class InProcessNetwork : IAsyncDisposable
{
    public const ulong Sat = 1000;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _directory = new();

    public InProcessNetwork()
    {
        System = ActorSystem.Create("inproc-" + Guid.NewGuid().ToString("N")[..8], NodeConfig.Build(dataDirectory: _directory.Path));
        Lightning = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions { Seed = 7 });
        Authority = new CertificateAuthority("Test Taxi Council", PrivateKey.Generate());
        Trusted.Trust(Authority.Name, Authority.PublicKey);
    }

    public ActorSystem System { get; }
    public EmbeddedLightningNetwork Lightning { get; }
    public InMemoryNetwork Links { get; } = new();
    public CertificateAuthority Authority { get; }
    public TrustedAuthorities Trusted { get; } = new();

    public RunningNode Start(string name, ulong balanceMsat, IReplyPolicy? policy = null, IReadOnlyList<string>? peers = null, Func<NodeSettings, NodeSettings>? tweak = null)
    {
        var key = PrivateKey.Generate();
        var now = DateTimeOffset.UtcNow;
        var settings = NodeDefaults.Node with
        {
            Identity = key,
            CertificateKey = key,
            Certificate = Authority.Issue(key.PublicKey, policy is null ? "rider" : "taxi-driver", [], now.AddDays(-1), now.AddDays(30)),
            Trusted = Trusted,
            ContactAddress = name,
            StaticPeers = peers ?? [],
            BaseDifficultyBits = 8,
            PowWorkers = 1,
            ReplyPolicy = policy ?? NeverReply.Instance,
            Seed = name.GetHashCode(StringComparison.Ordinal),
        };
        return NodeHost.StartInMemory(System, name, tweak is null ? settings : tweak(settings), Lightning.CreateNode(balanceMsat), Links, TimeProvider.System, NodeDefaults.Settlement);
    }

    public async ValueTask DisposeAsync()
    {
        await System.Terminate();
        Lightning.Dispose();
        _directory.Dispose();
    }
}
