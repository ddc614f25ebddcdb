namespace SweetGossip.Node.Routing;

/// <summary>
/// How a node picks the peers a topic asks (<c>sweetgossip.node.peer-choice</c>; defaults in reference.conf). All 0: a
/// uniform random choice among linked peers.
/// </summary>
/// <param name="OutboundQuota">Asks of each topic that go to peers this node dialled, while it has such peers (GossipSub's D_out).</param>
/// <param name="DeficitAfter">A peer handed this many topics since it last offered one is asked last and scored down; 0: no ranking.</param>
/// <param name="Exploration">Asks of each topic that go to a random peer not in deficit.</param>
/// <param name="ExtraAsks">
/// At most this many more asks per topic, one for each chosen peer not proven (no first delivery since its deficit):
/// a favour handed to a peer that may drop it does not use up the fanout.
/// </param>
/// <param name="GraftEvery">Opportunistic grafting runs every this many topics the node accepted; 0: off.</param>
/// <param name="GraftCount">Peers in deficit grafted back at most, each time.</param>
/// <param name="GraftThreshold">Grafting runs only while the median delivery score of the peers not in deficit is below this.</param>
/// <param name="GraftDecay">What a first delivery still counts for after one more topic accepted (0..1).</param>
public sealed record PeerChoiceSettings(int OutboundQuota, int DeficitAfter, int Exploration, int ExtraAsks = 0,
    int GraftEvery = 0, int GraftCount = 2, double GraftThreshold = 1, double GraftDecay = 0.9)
{
    public static readonly PeerChoiceSettings Uniform = new(0, 0, 0);
}
