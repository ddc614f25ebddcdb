using Akka.Actor;
using Akka.Event;
using Akka.TestKit.Xunit2;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Peers;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Node.Tests.Peers;

/// <summary>A peer connection scores its peer in the node's book, which it is admitted by and checks before each frame.</summary>
public class PeerConnectionScoringTests() : TestKit(Support.TestKitConfig.Hocon)
{
    private static readonly byte[] Malformed = [0xde, 0xad, 0xbe, 0xef];
    private static readonly byte[] Thanks = FrameCodec.Encode(new ThankYou(PayloadId.New(), Hash32.Random()));
    private readonly PublicKey _peer = PrivateKey.Generate().PublicKey;
    private readonly PeerScoreBook _book = new(PeerScoreParameters.Default);

    private IActorRef Connect(Akka.TestKit.TestProbe link, Akka.TestKit.TestProbe node) =>
        Sys.ActorOf(PeerConnection.Props(_peer, link.Ref, node.Ref, TimeProvider.System, _book, NodeDefaults.PeerFramesPerSecond, NodeDefaults.PeerBurst));

    [Fact]
    public void A_penalty_the_guardian_records_stops_the_link_before_the_peers_next_frame()
    {
        var (link, node) = (CreateTestProbe(), CreateTestProbe());
        var connection = Connect(link, node);
        node.ExpectMsg<PeerConnected>();

        // What the node's guardian does with a judgement: into the book at once; its message to the connection comes later.
        _book.Record(_peer, PeerBehaviour.InvalidFrame, DateTimeOffset.UtcNow);
        _book.Record(_peer, PeerBehaviour.InvalidFrame, DateTimeOffset.UtcNow);
        connection.Tell(new LinkFrameIn(Thanks));

        Assert.Contains("below threshold", node.ExpectMsg<PeerDisconnected>().Reason); // and no FrameReceived before it
        Assert.Contains("below threshold", link.ExpectMsg<CloseLink>().Reason);
    }

    [Fact]
    public void No_frame_read_after_the_one_that_got_the_peer_dropped_reaches_the_node()
    {
        var (link, node) = (CreateTestProbe(), CreateTestProbe());
        var connection = Connect(link, node);
        node.ExpectMsg<PeerConnected>();
        Watch(connection);

        connection.Tell(new LinkFramesIn([Malformed, Malformed, Thanks, Thanks, Thanks]));

        Assert.Contains("MalformedFrame", node.ExpectMsg<PeerDisconnected>().Reason);
        ExpectTerminated(connection);
        Assert.False(node.HasMessages); // the three frames after it were never passed on
    }

    [Fact]
    public void A_banned_identity_is_refused_as_its_link_comes_up_and_never_joins_the_node()
    {
        _book.Record(_peer, PeerBehaviour.MalformedFrame, DateTimeOffset.UtcNow);
        _book.Record(_peer, PeerBehaviour.MalformedFrame, DateTimeOffset.UtcNow);
        var warnings = CreateTestProbe();
        Sys.EventStream.Subscribe(warnings.Ref, typeof(Warning));
        var (link, node) = (CreateTestProbe(), CreateTestProbe());

        var connection = Connect(link, node);
        Watch(connection);

        Assert.StartsWith("refused: banned until", link.ExpectMsg<CloseLink>().Reason);
        ExpectTerminated(connection);
        Assert.False(node.HasMessages); // no PeerConnected: not in the node's peer table
        var warning = warnings.FishForMessage<Warning>(w => w.Message.ToString()!.Contains("refusing peer", StringComparison.Ordinal));
        Assert.Contains($"refusing peer {PeerConnection.Short(_peer)}: banned until", warning.Message.ToString());
        Assert.Contains("after MalformedFrame", warning.Message.ToString());
    }

    [Fact]
    public void A_peer_that_left_comes_back_to_the_score_it_left_with()
    {
        var (link, node) = (CreateTestProbe(), CreateTestProbe());
        var first = Connect(link, node);
        node.ExpectMsg<PeerConnected>();
        first.Tell(new LinkFrameIn(Malformed)); // -50: not yet below the threshold
        first.Tell(new LinkClosed("peer hung up"));
        Assert.Equal("peer hung up", node.ExpectMsg<PeerDisconnected>().Reason);

        var again = Connect(link, node);
        node.ExpectMsg<PeerConnected>();
        again.Tell(new LinkFrameIn(Malformed));
        Assert.Contains("score -100 below threshold after MalformedFrame", node.ExpectMsg<PeerDisconnected>().Reason);
    }

    [Fact]
    public void The_guardians_report_of_a_ban_closes_an_idle_link()
    {
        var (link, node) = (CreateTestProbe(), CreateTestProbe());
        var connection = Connect(link, node);
        node.ExpectMsg<PeerConnected>();

        var judgement = _book.Record(_peer, PeerBehaviour.MalformedFrame, DateTimeOffset.UtcNow);
        connection.Tell(new ReportBehaviour(PeerBehaviour.MalformedFrame, "first") { Score = judgement.Score });
        connection.Tell(new LinkFrameIn(Thanks));
        node.ExpectMsg<FrameReceived>(); // -50: logged, the link stays
        judgement = _book.Record(_peer, PeerBehaviour.WrongProof, DateTimeOffset.UtcNow);
        connection.Tell(new ReportBehaviour(PeerBehaviour.WrongProof, "proof for another favour") { Score = judgement.Score });

        Assert.Contains("score -75 below threshold after WrongProof: proof for another favour", link.ExpectMsg<CloseLink>().Reason);
        node.ExpectMsg<PeerDisconnected>();
    }
}
