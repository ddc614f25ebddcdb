using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
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

    private IActorRef Draining(TestProbe link, TestProbe node, TimeSpan drainTimeout)
    {
        var connection = Sys.ActorOf(PeerConnection.Props(_peer, link.Ref, node.Ref, TimeProvider.System, new PeerScoreBook(NodeDefaults.Scoring),
            NodeDefaults.PeerFramesPerSecond, NodeDefaults.PeerBurst, drainTimeout: drainTimeout));
        node.ExpectMsg<PeerConnected>();
        return connection;
    }

    /// <summary>
    /// A closed link's connection whose node answers the drain handshake hands back what still reaches it, and stops only
    /// once the node said it named every holder and each released it (one by its answer, one by stopping).
    /// </summary>
    [Fact]
    public void A_closed_connection_hands_late_frames_back_to_its_node_until_every_holder_released_it()
    {
        var (link, node) = (CreateTestProbe(), CreateTestProbe());
        var connection = Draining(link, node, TimeSpan.FromMinutes(5));
        var (releasing, stopping) = (CreateTestProbe(), CreateTestProbe());
        Watch(connection);
        connection.Tell(new AwaitReleases([releasing.Ref, stopping.Ref]));
        connection.Tell(new LinkClosed("closed by the peer"));
        node.ExpectMsg<PeerDisconnected>();

        var late = new ThankYou(PayloadId.New(), Hash32.Random());
        connection.Tell(new SendFrame(late), releasing.Ref);
        Assert.Equal(new FrameReturned(_peer, late), node.ExpectMsg<FrameReturned>());
        // Bytes the link took after it closed (it never wrote them) come back the same way.
        var notSent = new AlreadyHave(PayloadId.New());
        connection.Tell(new LinkFrameNotSent(FrameCodec.Encode(notSent)));
        Assert.Equal(new FrameReturned(_peer, notSent), node.ExpectMsg<FrameReturned>());

        connection.Tell(DrainLink.Instance);
        connection.Tell(LinkReleased.Instance, releasing.Ref);
        // Still a holder left: a frame now is handed back too, not lost (the answer comes after the frame).
        connection.Tell(new SendFrame(late), stopping.Ref);
        Assert.Equal(new FrameReturned(_peer, late), node.ExpectMsg<FrameReturned>());
        Sys.Stop(stopping.Ref);
        ExpectTerminated(connection);
        Assert.False(link.HasMessages, "a closed link was written to");
    }

    /// <summary>
    /// A hub's registry holds a delivery that ends in dead letters for the peer's next link (or answers its sender). A
    /// draining connection used to swallow another member's delivery, unanswered (security review): it is a dead letter.
    /// </summary>
    [Fact]
    public void A_closed_connection_gives_another_members_delivery_to_dead_letters_for_the_hubs_registry()
    {
        var (link, node, member) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        var connection = Draining(link, node, TimeSpan.FromMinutes(5));
        connection.Tell(new AwaitReleases([CreateTestProbe().Ref]));
        connection.Tell(new LinkClosed("closed by the peer"));
        node.ExpectMsg<PeerDisconnected>();
        var dead = CreateTestProbe();
        Sys.EventStream.Subscribe(dead.Ref, typeof(AllDeadLetters));

        var delivery = new Cluster.Peers.PeerDelivery(_peer, new ThankYou(PayloadId.New(), Hash32.Random()));
        connection.Tell(delivery, member.Ref);
        var letter = dead.FishForMessage<AllDeadLetters>(d => d.Message is Cluster.Peers.PeerDelivery);
        Assert.Equal((delivery, member.Ref), (letter.Message, letter.Sender));
        node.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // not re-sent as the node's own
    }

    [Fact]
    public void A_closed_connection_whose_holders_never_answer_stops_after_its_drain_timeout()
    {
        var (link, node) = (CreateTestProbe(), CreateTestProbe());
        var connection = Draining(link, node, TimeSpan.FromMilliseconds(200));
        Watch(connection);
        connection.Tell(new AwaitReleases([CreateTestProbe().Ref]));
        connection.Tell(new LinkClosed("closed by the peer"));
        node.ExpectMsg<PeerDisconnected>();
        connection.Tell(DrainLink.Instance);
        ExpectTerminated(connection, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void A_closed_connection_with_no_holder_stops_when_its_node_answers()
    {
        var (link, node) = (CreateTestProbe(), CreateTestProbe());
        var connection = Draining(link, node, TimeSpan.FromMinutes(5));
        Watch(connection);
        connection.Tell(new LinkClosed("closed by the peer"));
        node.ExpectMsg<PeerDisconnected>();
        connection.Tell(DrainLink.Instance);
        ExpectTerminated(connection, TimeSpan.FromSeconds(30));
    }
}
