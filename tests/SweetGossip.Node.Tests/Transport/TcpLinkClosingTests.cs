using System.Net;
using Akka.Actor;
using Akka.IO;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Transport;
using AkkaTcp = Akka.IO.Tcp;

namespace SweetGossip.Node.Tests.Transport;

/// <summary>
/// A TCP link the transport closes (a newer link to the same peer) tells its connection at once, and hands back what the
/// connection still sends it while closing and after the socket closed, until the connection stops. The socket is a probe.
/// </summary>
public class TcpLinkClosingTests() : TestKit(Support.TestKitConfig.Hocon)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_link_closed_by_the_transport_tells_its_connection_at_once_and_hands_back_what_it_is_sent_until_the_connection_stops()
    {
        var (server, client) = (PrivateKey.Generate(), PrivateKey.Generate());
        var (socket, connection) = (CreateTestProbe(), CreateTestProbe());
        // The test actor is the link's parent: it hears LinkAuthenticated and LinkEnded, as the transport would.
        var link = ChildActorOf(TcpLink.Inbound(socket.Ref, new IPEndPoint(IPAddress.Loopback, 1), server, NodeDefaults.Transport));
        socket.ExpectMsg<AkkaTcp.Register>(Timeout);
        var initiator = LinkHandshake.Initiator(client, server.PublicKey);
        link.Tell(new AkkaTcp.Received(ByteString.FromBytes(initiator.Start())), socket.Ref);
        var act2 = socket.ExpectMsg<AkkaTcp.Write>(Timeout);
        link.Tell(act2.Ack, socket.Ref);
        var act3 = initiator.Receive(act2.Data.ToArray());
        link.Tell(new AkkaTcp.Received(ByteString.FromBytes(act3.ToSend)), socket.Ref);
        Assert.Equal(client.PublicKey, ExpectMsg<LinkAuthenticated>(Timeout).Peer);
        link.Tell(new AttachConnection(connection.Ref));

        link.Tell(new CloseLink("duplicate link to the same peer")); // from the transport, not the connection
        Assert.Equal("duplicate link to the same peer", connection.ExpectMsg<LinkClosed>(Timeout).Reason);
        socket.FishForMessage(m => m is AkkaTcp.Close, Timeout);
        var late = new byte[] { 1, 2, 3 };
        link.Tell(new LinkFrameOut(late), connection.Ref);
        Assert.Equal(late, connection.ExpectMsg<LinkFrameNotSent>(Timeout).Bytes);

        // The socket closed: the transport hears it now; the link stays for the frames still on their way from its connection.
        link.Tell(AkkaTcp.Closed.Instance, socket.Ref);
        ExpectMsg<LinkEnded>(Timeout);
        link.Tell(new LinkFrameOut(late), connection.Ref);
        Assert.Equal(late, connection.ExpectMsg<LinkFrameNotSent>(Timeout).Bytes);
        Watch(link);
        Sys.Stop(connection.Ref);
        ExpectTerminated(link, Timeout);
    }
}
