using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using SweetGossip.Node.Core;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Tests.Support;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Wire;
using Xunit.Abstractions;

namespace SweetGossip.Node.Tests.Transport;

/// <summary>
/// The listener's caps on inbound connections, over real TCP on loopback. Linux routes all of 127.0.0.0/8
/// to loopback, so raw sockets bound to 127.0.0.2, .3, .4 are other remote IPs than the honest peer's 127.0.0.1.
/// </summary>
public class TcpInboundCapsTests(ITestOutputHelper output) : TcpTestKit(output)
{
    private const string Squatter = "127.0.0.2";

    // Squatters never finish the handshake: the handshake deadline must not clear them while a test runs.
    private static readonly TcpTransportSettings Capped = Fast with
    {
        HandshakeTimeout = TimeSpan.FromMinutes(5),
        MaxInboundPerIp = 3,
        MaxHandshakesPerIp = 2,
        MaxHandshakes = 8,
    };

    private static Task<InboundCounts> CountsAsync(TcpTestNode node, Func<InboundCounts, bool> accept) =>
        Eventually.Value(() => node.Transport.Ask<InboundCounts>(GetInboundCounts.Instance, Timeout), accept);

    /// <summary>Opens <paramref name="count"/> raw connections from <paramref name="from"/> that never say a word.</summary>
    private static async Task<List<RawPeer>> SilentAsync(TcpTestNode listener, string from, int count)
    {
        var peers = new List<RawPeer>();
        for (var i = 0; i < count; i++) peers.Add(await RawPeer.ConnectAsync(listener.Address, from: from));
        return peers;
    }

    /// <summary>
    /// Connects from <paramref name="from"/> expecting to be turned away at once: the listener resets the
    /// socket as it accepts it, which the client sees either as its connect failing or as the stream closing.
    /// </summary>
    private static async Task RefusedAsync(TcpTestNode listener, string from)
    {
        RawPeer peer;
        try
        {
            peer = await RawPeer.ConnectAsync(listener.Address, from: from);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return;
        }
        await using (peer) await peer.ClosedByPeerAsync();
    }

    /// <summary>The next <paramref name="count"/> warnings containing every one of <paramref name="parts"/>, in any order.</summary>
    private async Task<List<string>> WarningsContaining(int count, params string[] parts)
    {
        var warnings = new List<string>();
        for (var i = 0; i < count; i++) warnings.Add(await WarningContaining(parts));
        return warnings;
    }

    private static async Task DisposeAll(IEnumerable<RawPeer> peers)
    {
        foreach (var peer in peers) await peer.DisposeAsync();
    }

    [Fact]
    public async Task Handshakes_from_one_ip_over_its_cap_are_closed_at_once_and_a_peer_from_another_ip_still_links()
    {
        var listener = await StartAsync(Capped);
        var held = await SilentAsync(listener, Squatter, 2);
        try
        {
            await CountsAsync(listener, c => c.Of(IPAddress.Parse(Squatter)).Handshakes == 2);

            for (var i = 0; i < 3; i++) await RefusedAsync(listener, Squatter);

            await WarningsContaining(3, $"refusing inbound connection from {Squatter} (",
                "2 handshakes from this IP in progress, the cap (transport.max-handshakes-per-ip) is 2; closing it");

            // The honest peer (127.0.0.1) links and frames flow; the two squatters within the cap still hold their slots.
            await AssertServesAWellBehavedPeerAsync(listener);
            Assert.All(held, p => Assert.False(p.IsClosedByPeer));
            var counts = await listener.Transport.Ask<InboundCounts>(GetInboundCounts.Instance, Timeout);
            Assert.Equal(new IpInbound(2, 2), counts.Of(IPAddress.Parse(Squatter)));
            Assert.Equal(new IpInbound(1, 0), counts.Of(IPAddress.Loopback));
        }
        finally
        {
            await DisposeAll(held);
        }
    }

    [Fact]
    public async Task Links_from_one_ip_over_its_cap_are_refused_and_its_linked_peers_keep_working()
    {
        var listener = await StartAsync(Capped with { MaxInboundPerIp = 2 });
        await using var first = await RawPeer.ConnectAsync(listener.Address, from: Squatter);
        await first.HandshakeAsync(listener.Key.PublicKey);
        var second = await RawPeer.ConnectAsync(listener.Address, from: Squatter);
        await second.HandshakeAsync(listener.Key.PublicKey);
        var toFirst = await ConnectionTo(listener, first.Key.PublicKey);
        await ConnectionTo(listener, second.Key.PublicKey);

        await RefusedAsync(listener, Squatter);
        await WarningContaining($"refusing inbound connection from {Squatter} (",
            "2 connections from this IP already, the cap (transport.max-inbound-per-ip) is 2; closing it");

        // The linked peers of that IP are served as before, both ways.
        var there = new ThankYou(PayloadId.New(), Hash32.Random());
        toFirst.Tell(new SendFrame(there));
        Assert.Equal(FrameCodec.Encode(there), await NextFrameAsync(first));
        var back = new ThankYou(PayloadId.New(), Hash32.Random());
        await first.SendAsync(first.Link!.Seal(FrameCodec.Encode(back)));
        Assert.Equal(new FrameReceived(first.Key.PublicKey, back), await listener.Node.FishForMessageAsync(m => m is FrameReceived, Timeout));
        await AssertServesAWellBehavedPeerAsync(listener);

        // A link of that IP ends: its slot is free again.
        await second.DisposeAsync();
        await CountsAsync(listener, c => c.Of(IPAddress.Parse(Squatter)).Connections == 1);
        await using var fourth = await RawPeer.ConnectAsync(listener.Address, from: Squatter);
        await fourth.HandshakeAsync(listener.Key.PublicKey);
        await ConnectionTo(listener, fourth.Key.PublicKey);
    }

    [Fact]
    public async Task Handshakes_over_the_global_cap_are_refused_from_any_ip_until_one_ends()
    {
        var listener = await StartAsync(Capped with { MaxHandshakes = 3 });
        var squatters = (await SilentAsync(listener, "127.0.0.2", 2)).Concat(await SilentAsync(listener, "127.0.0.3", 1)).ToList();
        try
        {
            await CountsAsync(listener, c => c.Handshakes == 3);

            await RefusedAsync(listener, "127.0.0.4");
            await WarningContaining("refusing inbound connection from 127.0.0.4 (",
                "3 handshakes in progress from all IPs, the cap (transport.max-handshakes) is 3; closing it");

            // While the squatters hold every slot even an honest peer is turned away...
            var honest = await StartAsync();
            honest.Transport.Tell(new Connect(listener.Address), honest.Node.Ref);
            await honest.Node.FishForMessageAsync(m => m is ConnectFailed, Timeout);
            await WarningContaining("refusing inbound connection from 127.0.0.1 (", "the cap (transport.max-handshakes) is 3");

            // ...and once one squatter goes, the honest peer links and frames flow.
            await squatters[2].DisposeAsync();
            await CountsAsync(listener, c => c.Handshakes == 2);
            await AssertServesAWellBehavedPeerAsync(listener);
            Assert.All(squatters.Take(2), p => Assert.False(p.IsClosedByPeer));
        }
        finally
        {
            await DisposeAll(squatters.Take(2));
        }
    }

    private static async Task<byte[]> NextFrameAsync(RawPeer peer)
    {
        while (true)
        {
            var frame = await peer.ReceiveFrameAsync();
            if (frame.Length > 0) return frame; // skip keepalives
        }
    }
}
