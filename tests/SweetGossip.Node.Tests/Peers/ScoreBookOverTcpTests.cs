using System.Net;
using System.Net.Sockets;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Tests.Transport;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;
using Xunit.Abstractions;

namespace SweetGossip.Node.Tests.Peers;

/// <summary>
/// Attackers on raw sockets against a live TCP listener and its node-wide score book: leaving, changing keys or
/// changing address within one /24 does not wash a score clean.
/// </summary>
public class ScoreBookOverTcpTests(ITestOutputHelper output) : TcpTestKit(output)
{
    private static readonly byte[] Malformed = [0xde, 0xad, 0xbe, 0xef];
    private readonly PeerScoreBook _book = new(PeerScoreParameters.Default);

    private static string Short(PrivateKey key) => PeerConnection.Short(key.PublicKey);

    private static Task SendMalformedAsync(RawPeer peer, int count) =>
        peer.SendAsync(Enumerable.Range(0, count).SelectMany(_ => peer.Link!.Seal(Malformed)).ToArray());

    private async Task<RawPeer> LinkAsync(TcpTestNode listener, PrivateKey? key = null, string? from = null)
    {
        var peer = await RawPeer.ConnectAsync(listener.Address, from: from, key: key);
        await peer.HandshakeAsync(listener.Key.PublicKey);
        await ConnectionTo(listener, peer.Key.PublicKey);
        return peer;
    }

    [Fact]
    public async Task Dropped_peer_reconnecting_keeps_its_negative_score()
    {
        var listener = await StartAsync(scores: _book);
        var key = PrivateKey.Generate();
        await using (var first = await LinkAsync(listener, key))
        {
            await SendMalformedAsync(first, 1);
            await WarningContaining($"peer {Short(key)}: MalformedFrame", "(score -50)");
        }
        await listener.Node.FishForMessageAsync(m => m is PeerDisconnected d && d.Peer.Equals(key.PublicKey), Timeout);

        // Back with the same key: one more malformed frame is one too many, as if it had never left.
        await using var again = await LinkAsync(listener, key);
        await SendMalformedAsync(again, 1);
        await WarningContaining($"peer {Short(key)}: MalformedFrame", "(score -100)");
        await again.ClosedByPeerAsync();
    }

    [Fact]
    public async Task Banned_identity_is_refused_on_reconnect()
    {
        var listener = await StartAsync(scores: _book);
        var key = PrivateKey.Generate();
        await using (var first = await LinkAsync(listener, key))
        {
            await SendMalformedAsync(first, 2);
            await first.ClosedByPeerAsync();
        }

        await using var again = await RawPeer.ConnectAsync(listener.Address, key: key);
        await again.HandshakeAsync(listener.Key.PublicKey); // who it is is known only once it has proven it
        var refusal = await WarningContaining($"refusing peer {Short(key)} from 127.0.0.1: banned until");
        Assert.Contains("after MalformedFrame (score -100)", refusal);
        await again.ClosedByPeerAsync();

        // Its refused link never reached the node (by now it would have been announced: PeerConnected comes before the close).
        var told = new List<object>();
        while (listener.Node.HasMessages) told.Add(listener.Node.ReceiveOne(TimeSpan.Zero)!);
        Assert.DoesNotContain(told, m => m is PeerConnected c && c.Peer.Equals(key.PublicKey));
        await AssertServesAWellBehavedPeerAsync(listener);
    }

    [Fact]
    public async Task New_key_from_a_penalised_prefix_starts_penalised()
    {
        var listener = await StartAsync(scores: _book);
        await using (var dropped = await LinkAsync(listener, from: "127.0.0.2"))
        {
            await SendMalformedAsync(dropped, 2);
            await dropped.ClosedByPeerAsync();
        }

        // A fresh key from the same /24 carries a quarter of what the dropped key left there: one bad frame drops it.
        await using var sameNetwork = await LinkAsync(listener, from: "127.0.0.3");
        await SendMalformedAsync(sameNetwork, 1);
        await WarningContaining($"peer {Short(sameNetwork.Key)}: MalformedFrame", "(score -75)");
        await sameNetwork.ClosedByPeerAsync();

        // From another /24 the same frame costs only its own weight, and the link stays up.
        await using var elsewhere = await LinkAsync(listener, from: "127.0.1.3");
        await SendMalformedAsync(elsewhere, 1);
        await WarningContaining($"peer {Short(elsewhere.Key)}: MalformedFrame", "(score -50)");
        var thanks = new ThankYou(PayloadId.New(), Hash32.Random());
        await elsewhere.SendFrameAsync(thanks);
        Assert.Equal(new FrameReceived(elsewhere.Key.PublicKey, thanks), await listener.Node.FishForMessageAsync(m => m is FrameReceived, Timeout));
    }

    [Fact]
    public async Task A_banned_prefix_is_refused_before_its_handshake()
    {
        // Five keys of one /24 misbehaving together (as in the pure book's test): the prefix's penalty passes -100.
        var network = AddressPrefix.Of(IPAddress.Parse("127.0.0.9"));
        var now = DateTimeOffset.UtcNow;
        var together = Enumerable.Range(0, 5).Select(_ => _book.Admit(PrivateKey.Generate().PublicKey, network, now).Standing!).ToList(); // all linked first
        foreach (var standing in together)
        {
            standing.Record(PeerBehaviour.MalformedFrame, now);
            standing.Record(PeerBehaviour.MalformedFrame, now);
        }
        var listener = await StartAsync(scores: _book);

        // Reset as it is accepted: the client sees its connect fail or the stream close.
        try
        {
            await using var refused = await RawPeer.ConnectAsync(listener.Address, from: "127.0.0.9");
            await refused.ClosedByPeerAsync();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
        }
        await WarningContaining("refusing inbound connection from 127.0.0.9", "address prefix 127.0.0.0/24 banned until");

        await using var elsewhere = await LinkAsync(listener, from: "127.0.1.9");
    }
}
