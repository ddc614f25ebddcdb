using Akka.Actor;
using SweetGossip.Node.Core;
using SweetGossip.Node.Peers;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using Xunit.Abstractions;

namespace SweetGossip.Node.Tests.Transport;

/// <summary>A closed TCP link's connection drains (docs/decisions.md "A closed link drains"), over real TCP on 127.0.0.1.</summary>
public class TcpLinkDrainTests(ITestOutputHelper output) : TcpTestKit(output)
{
    /// <summary>
    /// A peer redials: the listener keeps the newer link and closes the older. A frame sent to the older link's connection
    /// after it closed comes back to the node (here a probe), and the peer's new connection starts only once the node let the
    /// old one go: sent on the new one, the frame reaches the peer once. Before, the old connection stopped as its link
    /// closed and the frame was a dead letter.
    /// </summary>
    [Fact]
    public async Task A_frame_sent_to_a_redialled_peers_old_connection_comes_back_and_reaches_the_peer_on_its_new_link_once()
    {
        var listener = await StartAsync();
        // The node answers the drain handshake (the probe does it by hand below).
        listener.Transport.Tell(new AttachNode(listener.Node.Ref) { LinkDrainTimeout = Timeout });
        var peer = await StartAsync();
        peer.Transport.Tell(new Connect(listener.Address), peer.Node.Ref);
        var oldConnection = await ConnectionTo(listener, peer.Key.PublicKey);

        peer.Transport.Tell(new Connect(listener.Address), peer.Node.Ref); // the redial: a second link, the older one closes
        var disconnected = await listener.Node.FishForMessageAsync(m => m is PeerDisconnected, Timeout);
        Assert.Equal(oldConnection, listener.Node.LastSender);

        var late = new ThankYou(PayloadId.New(), Hash32.Random());
        oldConnection.Tell(new SendFrame(late), ActorRefs.NoSender);
        var returned = (FrameReturned)await listener.Node.FishForMessageAsync(m => m is FrameReturned, Timeout);
        Assert.Equal(new FrameReturned(peer.Key.PublicKey, late), returned);
        Assert.Equal(oldConnection, listener.Node.LastSender);

        // The node names no holder, and says so: the old connection stops, and the new one starts.
        oldConnection.Tell(DrainLink.Instance, listener.Node.Ref);
        var newConnection = await ConnectionTo(listener, peer.Key.PublicKey);
        Assert.NotEqual(oldConnection, newConnection);
        newConnection.Tell(new SendFrame(returned.Frame));
        Assert.Equal(new FrameReceived(listener.Key.PublicKey, late), await peer.Node.FishForMessageAsync(m => m is FrameReceived, Timeout));
        // Once: a frame sent after it is the next one the peer reads.
        var marker = new AlreadyHave(PayloadId.New());
        newConnection.Tell(new SendFrame(marker));
        Assert.Equal(new FrameReceived(listener.Key.PublicKey, marker), await peer.Node.FishForMessageAsync(m => m is FrameReceived, Timeout));
        Assert.NotNull(disconnected);
    }
}
