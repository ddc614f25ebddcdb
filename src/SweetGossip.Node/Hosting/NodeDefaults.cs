using SweetGossip.Node.Core;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Protocol.Gossip;

namespace SweetGossip.Node.Hosting;

/// <summary>
/// reference.conf's settings, read once by the same loader that reads an operator's file: what tests, the simulator
/// and benchmarks start from (<c>NodeDefaults.Node with { Identity = …, Fanout = 2 }</c>,
/// <c>NodeDefaults.Transport with { Listen = … }</c>) instead of defaults of their own.
/// </summary>
public static class NodeDefaults
{
    private static readonly ConfigReader NodeConfigReader = new(NodeConfig.Reference, NodeSettingsLoader.NodePath, Environment.CurrentDirectory);

    /// <summary>
    /// <c>sweetgossip.node</c> and <c>sweetgossip.scoring</c> as a node's settings, without what only a node's own files
    /// and address can give: <see cref="NodeSettings.Identity"/>, <see cref="NodeSettings.CertificateKey"/>,
    /// <see cref="NodeSettings.Certificate"/>, <see cref="NodeSettings.Trusted"/> and <see cref="NodeSettings.ContactAddress"/>
    /// are null here, to be set in the <c>with</c> that starts from it.
    /// </summary>
    public static NodeSettings Node { get; } = NodeSettingsLoader.ReadBehaviour(NodeConfigReader,
        new ConfigReader(NodeConfig.Reference, NodeSettingsLoader.ScoringPath, Environment.CurrentDirectory));

    /// <summary><c>sweetgossip.node.transport</c>, listening where reference.conf says (tests set their own <c>Listen</c>).</summary>
    public static TcpTransportSettings Transport { get; } = NodeSettingsLoader.ReadTransport(NodeConfigReader, NodeConfigReader.String("listen"));

    /// <summary><c>sweetgossip.scoring</c>.</summary>
    public static PeerScoreParameters Scoring => Node.Scoring;

    /// <summary><c>sweetgossip.settlement</c>.</summary>
    public static SettlementSettings Settlement => SettlementSettings.Default;

    /// <summary><c>sweetgossip.node.peer-rate.frames-per-second</c>: frames a peer may send per second before it is throttled.</summary>
    public static double PeerFramesPerSecond => Node.PeerFramesPerSecond;

    /// <summary><c>sweetgossip.node.peer-rate.burst</c>.</summary>
    public static double PeerBurst => Node.PeerBurst;
}
