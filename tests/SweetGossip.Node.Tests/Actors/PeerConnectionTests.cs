using Akka.Actor;
using Akka.TestKit.Xunit2;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Peers;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Node.Tests.Actors;

public class PeerConnectionTests() : TestKit(Support.TestKitConfig.Hocon)
{
    private readonly PublicKey _peer = PrivateKey.Generate().PublicKey;

    [Fact]
    public void Well_formed_frames_reach_the_node_decoded()
    {
        var (link, node) = (CreateTestProbe(), CreateTestProbe());
        var connection = Sys.ActorOf(PeerConnection.Props(_peer, link.Ref, node.Ref, TimeProvider.System, new PeerScoreBook(NodeDefaults.Scoring), NodeDefaults.PeerFramesPerSecond, NodeDefaults.PeerBurst));
        Assert.Equal(_peer, node.ExpectMsg<PeerConnected>().Peer);

        var thanks = new ThankYou(PayloadId.New(), Hash32.Random());
        connection.Tell(new LinkFrameIn(FrameCodec.Encode(thanks)));
        var received = node.ExpectMsg<FrameReceived>();
        Assert.Equal((_peer, (Frame)thanks), (received.Peer, received.Frame));

        connection.Tell(new SendFrame(thanks));
        Assert.Equal(FrameCodec.Encode(thanks), link.ExpectMsg<LinkFrameOut>().Bytes);
    }

    [Fact]
    public void Malformed_frames_never_reach_the_node_and_a_peer_that_keeps_sending_them_is_dropped()
    {
        var (link, node) = (CreateTestProbe(), CreateTestProbe());
        var connection = Sys.ActorOf(PeerConnection.Props(_peer, link.Ref, node.Ref, TimeProvider.System, new PeerScoreBook(NodeDefaults.Scoring), NodeDefaults.PeerFramesPerSecond, NodeDefaults.PeerBurst));
        node.ExpectMsg<PeerConnected>();
        Watch(connection);

        connection.Tell(new LinkFrameIn([0xde, 0xad, 0xbe, 0xef]));
        connection.Tell(new LinkFrameIn([0x08, 0x02])); // version 2
        var close = link.ExpectMsg<CloseLink>();
        Assert.Contains("MalformedFrame", close.Reason);
        Assert.Contains("Envelope.version", close.Reason);
        Assert.Contains("below threshold", node.ExpectMsg<PeerDisconnected>().Reason);
        ExpectTerminated(connection);
        node.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_peer_flooding_past_its_rate_limit_is_dropped()
    {
        var (link, node) = (CreateTestProbe(), CreateTestProbe());
        var connection = Sys.ActorOf(PeerConnection.Props(_peer, link.Ref, node.Ref, TimeProvider.System, new PeerScoreBook(NodeDefaults.Scoring), framesPerSecond: 0.001, burst: 2));
        node.ExpectMsg<PeerConnected>();
        var frame = FrameCodec.Encode(new ThankYou(PayloadId.New(), Hash32.Random()));
        for (var i = 0; i < 10; i++) connection.Tell(new LinkFrameIn(frame));

        node.ExpectMsg<FrameReceived>();
        node.ExpectMsg<FrameReceived>();
        Assert.Contains("Flood", link.ExpectMsg<CloseLink>().Reason);
        node.ExpectMsg<PeerDisconnected>();
    }

    [Fact]
    public void When_the_link_closes_the_node_is_told()
    {
        var (link, node) = (CreateTestProbe(), CreateTestProbe());
        var connection = Sys.ActorOf(PeerConnection.Props(_peer, link.Ref, node.Ref, TimeProvider.System, new PeerScoreBook(NodeDefaults.Scoring), NodeDefaults.PeerFramesPerSecond, NodeDefaults.PeerBurst));
        node.ExpectMsg<PeerConnected>();
        connection.Tell(new LinkClosed("peer hung up"));
        Assert.Equal("peer hung up", node.ExpectMsg<PeerDisconnected>().Reason);
    }
}
