using SweetGossip.Node.Settlement;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Protocol.Gossip;

namespace SweetGossip.Node.Hosting;

/// <summary>
/// reference.conf's settings, read once by the same loader that reads an operator's file: what tests, the simulator
/// and benchmarks start from (<c>NodeDefaults.Transport with { Listen = … }</c>) instead of defaults of their own.
/// </summary>
public static class NodeDefaults
{
    private static readonly ConfigReader Node = new(NodeConfig.Reference, NodeSettingsLoader.NodePath, Environment.CurrentDirectory);

    /// <summary><c>sweetgossip.node.transport</c>, listening where reference.conf says (tests set their own <c>Listen</c>).</summary>
    public static TcpTransportSettings Transport { get; } = NodeSettingsLoader.ReadTransport(Node, Node.String("listen"));

    /// <summary><c>sweetgossip.scoring</c>.</summary>
    public static PeerScoreParameters Scoring { get; } =
        NodeSettingsLoader.ReadScoring(new ConfigReader(NodeConfig.Reference, NodeSettingsLoader.ScoringPath, Environment.CurrentDirectory));

    /// <summary><c>sweetgossip.settlement</c>.</summary>
    public static SettlementSettings Settlement => SettlementSettings.Default;

    /// <summary><c>sweetgossip.node.peer-rate.frames-per-second</c>: frames a peer may send per second before it is throttled.</summary>
    public static double PeerFramesPerSecond { get; } = Node.Positive("peer-rate.frames-per-second");

    /// <summary><c>sweetgossip.node.peer-rate.burst</c>.</summary>
    public static double PeerBurst { get; } = Node.Positive("peer-rate.burst");
}
