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
/// The listener's caps on inbound connections, over real TCP on loopback, with the production prefix lengths
/// (IPv4 /24). Linux routes all of 127.0.0.0/8 to loopback, so raw sockets bound to 127.0.1.2 and 127.0.1.3
/// are two addresses of one prefix (127.0.1.0/24), 127.0.2.2 is another prefix, and the honest peers
/// (127.0.0.1) are a third. No cap is lifted for loopback: 127.0.0.0/24 is a prefix like any other.
/// </summary>
public class TcpInboundCapsTests(ITestOutputHelper output) : TcpTestKit(output)
{
    private const string SquatterPrefix = "127.0.1.0/24";
    private const string Squatter = "127.0.1.2";
    private const string SquatterNeighbour = "127.0.1.3";

    // Squatters never finish the handshake and linked raw peers send no keepalives: neither the handshake
    // deadline nor the idle timer may clear them while a test runs.
    private static readonly TcpTransportSettings Capped = Fast with
    {
        HandshakeTimeout = TimeSpan.FromMinutes(5),
        IdleTimeout = TimeSpan.FromMinutes(5),
        MaxInboundPerPrefix = 3,
        MaxHandshakesPerPrefix = 2,
        MaxInbound = 16,
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
    public async Task Handshakes_from_one_prefix_are_capped_across_its_addresses_and_a_peer_from_another_prefix_still_links()
    {
        var listener = await StartAsync(Capped);
        // Two addresses of one prefix, one silent handshake each: per address neither is near any cap.
        var held = (await SilentAsync(listener, Squatter, 1)).Concat(await SilentAsync(listener, SquatterNeighbour, 1)).ToList();
        try
        {
            await CountsAsync(listener, c => c.Of(SquatterPrefix).Handshakes == 2);

            // Fresh addresses of the same prefix are turned away as the first two would be.
            foreach (var from in new[] { "127.0.1.4", "127.0.1.200", Squatter })
            {
                await RefusedAsync(listener, from);
                await WarningContaining($"refusing inbound connection from {from} (",
                    $"2 handshakes from {SquatterPrefix} in progress, the cap (transport.max-handshakes-per-prefix) is 2; closing it");
            }

            // A peer of another prefix completes its handshake; the honest peer (127.0.0.1) links and frames flow;
            // the two squatters within the cap still hold their slots.
            await using var neighbour = await RawPeer.ConnectAsync(listener.Address, from: "127.0.2.2");
            await neighbour.HandshakeAsync(listener.Key.PublicKey);
            await ConnectionTo(listener, neighbour.Key.PublicKey);
            await AssertServesAWellBehavedPeerAsync(listener);
            Assert.All(held, p => Assert.False(p.IsClosedByPeer));
            var counts = await listener.Transport.Ask<InboundCounts>(GetInboundCounts.Instance, Timeout);
            Assert.Equal(new PrefixInbound(2, 2), counts.Of(SquatterPrefix));
            Assert.Equal(new PrefixInbound(1, 0), counts.Of("127.0.2.0/24"));
            Assert.Equal(new PrefixInbound(1, 0), counts.Of("127.0.0.0/24"));
        }
        finally
        {
            await DisposeAll(held);
        }
    }

    [Fact]
    public async Task Links_from_one_prefix_over_its_cap_are_refused_and_its_linked_peers_keep_working()
    {
        var listener = await StartAsync(Capped with { MaxInboundPerPrefix = 2 });
        // One at a time: the listener proves a peer after the peer's side of the handshake is done, so two
        // handshakes in a row can be announced in either order, and fishing for one would discard the other.
        await using var first = await RawPeer.ConnectAsync(listener.Address, from: Squatter);
        await first.HandshakeAsync(listener.Key.PublicKey);
        var toFirst = await ConnectionTo(listener, first.Key.PublicKey);
        var second = await RawPeer.ConnectAsync(listener.Address, from: SquatterNeighbour);
        await second.HandshakeAsync(listener.Key.PublicKey);
        await ConnectionTo(listener, second.Key.PublicKey);

        await RefusedAsync(listener, "127.0.1.4");
        await WarningContaining("refusing inbound connection from 127.0.1.4 (",
            $"2 connections from {SquatterPrefix} already, the cap (transport.max-inbound-per-prefix) is 2; closing it");

        // The linked peers of that prefix are served as before, both ways.
        var there = new ThankYou(PayloadId.New(), Hash32.Random());
        toFirst.Tell(new SendFrame(there));
        Assert.Equal(FrameCodec.Encode(there), await NextFrameAsync(first));
        var back = new ThankYou(PayloadId.New(), Hash32.Random());
        await first.SendAsync(first.Link!.Seal(FrameCodec.Encode(back)));
        Assert.Equal(new FrameReceived(first.Key.PublicKey, back), await listener.Node.FishForMessageAsync(m => m is FrameReceived, Timeout));
        await AssertServesAWellBehavedPeerAsync(listener);

        // A link of that prefix ends: its slot is free again, for any address of the prefix.
        await second.DisposeAsync();
        await CountsAsync(listener, c => c.Of(SquatterPrefix).Connections == 1);
        await using var fourth = await RawPeer.ConnectAsync(listener.Address, from: "127.0.1.4");
        await fourth.HandshakeAsync(listener.Key.PublicKey);
        await ConnectionTo(listener, fourth.Key.PublicKey);
    }

    [Fact]
    public async Task Handshakes_over_the_global_cap_are_refused_from_any_prefix_until_one_ends()
    {
        var listener = await StartAsync(Capped with { MaxHandshakes = 3 });
        var squatters = (await SilentAsync(listener, Squatter, 2)).Concat(await SilentAsync(listener, "127.0.2.2", 1)).ToList();
        try
        {
            await CountsAsync(listener, c => c.Handshakes == 3);

            await RefusedAsync(listener, "127.0.3.2");
            await WarningContaining("refusing inbound connection from 127.0.3.2 (",
                "3 handshakes in progress from all addresses, the cap (transport.max-handshakes) is 3; closing it");

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

    [Fact]
    public async Task Inbound_connections_over_the_total_cap_are_refused()
    {
        // Three linked peers of three prefixes: no prefix is near its cap and no handshake is in progress.
        var listener = await StartAsync(Capped with { MaxInbound = 3, MaxInboundPerPrefix = 3, MaxHandshakes = 3 });
        var linked = new List<RawPeer>();
        try
        {
            foreach (var from in new[] { Squatter, "127.0.2.2", "127.0.3.2" })
            {
                var peer = await RawPeer.ConnectAsync(listener.Address, from: from);
                linked.Add(peer);
                await peer.HandshakeAsync(listener.Key.PublicKey);
                await ConnectionTo(listener, peer.Key.PublicKey);
            }
            await CountsAsync(listener, c => c is { Connections: 3, Handshakes: 0 });

            await RefusedAsync(listener, "127.0.4.2");
            await WarningContaining("refusing inbound connection from 127.0.4.2 (",
                "3 inbound connections already, the cap (transport.max-inbound) is 3; closing it");
            var honest = await StartAsync();
            honest.Transport.Tell(new Connect(listener.Address), honest.Node.Ref);
            await honest.Node.FishForMessageAsync(m => m is ConnectFailed, Timeout);
            await WarningContaining("refusing inbound connection from 127.0.0.1 (", "the cap (transport.max-inbound) is 3");

            // One linked peer leaves: its slot is free for anyone.
            await linked[1].DisposeAsync();
            await CountsAsync(listener, c => c.Connections == 2);
            await AssertServesAWellBehavedPeerAsync(listener);
            Assert.All(linked.Where((_, i) => i != 1), p => Assert.False(p.IsClosedByPeer));
        }
        finally
        {
            await DisposeAll(linked);
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
