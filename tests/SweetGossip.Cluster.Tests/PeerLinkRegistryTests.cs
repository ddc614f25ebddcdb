using Akka.Actor;
using Akka.TestKit;
using SweetGossip.Cluster.Hosting;
using SweetGossip.Cluster.Peers;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cluster.Tests;

/// <summary>Reaching a peer's link from any member, on a real 3-member cluster over loopback.</summary>
public sealed class PeerLinkRegistryTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_frame_sent_from_any_member_reaches_the_member_holding_the_link_and_follows_the_link_when_it_moves()
    {
        await using var hub = await TestHub.StartAsync(3);
        var peer = PrivateKey.Generate().PublicKey;
        var sender = TestHub.Probe(hub[2]);

        // Nobody holds a link to this peer yet: the sender is told, not left waiting.
        var nobody = PrivateKey.Generate().PublicKey;
        var probeFrame = Frame();
        hub[2].PeerLinks.Tell(new SendToPeer(nobody, probeFrame), sender.Ref);
        var unreachable = sender.ExpectMsg<PeerUnreachable>(Wait);
        Assert.Equal(nobody, unreachable.Peer);
        Assert.Equal(probeFrame, unreachable.Frame);

        var link1 = TestHub.Probe(hub[0]);
        hub[0].PeerLinks.Tell(new RegisterPeerLink(peer, link1.Ref));
        await DeliveredThrough(hub[2], link1, peer);

        // The link closes on member 1 (its actor stops) and the peer redials member 2.
        var watcher = TestHub.Probe(hub[0]);
        watcher.Watch(link1.Ref);
        hub[0].System.Stop(link1.Ref);
        watcher.ExpectTerminated(link1.Ref, Wait);
        var link2 = TestHub.Probe(hub[1]);
        hub[1].PeerLinks.Tell(new RegisterPeerLink(peer, link2.Ref));
        await DeliveredThrough(hub[2], link2, peer);

        // From every member (member 1 included: its own link is gone) frames now go to member 2's link.
        await DeliveredThrough(hub[0], link2, peer);
        await DeliveredThrough(hub[1], link2, peer);
    }

    [Fact]
    public async Task A_link_that_unregisters_is_no_longer_reached()
    {
        await using var hub = await TestHub.StartAsync(2);
        var peer = PrivateKey.Generate().PublicKey;
        var link = TestHub.Probe(hub[0]);
        var sender = TestHub.Probe(hub[1]);
        var answers = TestHub.Relay(hub[1], sender);
        hub[0].PeerLinks.Tell(new RegisterPeerLink(peer, link.Ref));
        await DeliveredThrough(hub[1], link, peer);

        hub[0].PeerLinks.Tell(new UnregisterPeerLink(peer, link.Ref));
        // Until the other member's view catches up a frame may reach member 1's lingering entry; either way the answer
        // is PeerUnreachable, and the closed link gets nothing.
        for (var i = 0; i < 3; i++)
        {
            var frame = Frame();
            hub[1].PeerLinks.Tell(new SendToPeer(peer, frame), answers);
            Assert.Equal(frame, sender.ExpectMsg<PeerUnreachable>(Wait).Frame);
        }
        link.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    private static Frame Frame() => new ThankYou(PayloadId.New(), Hash32.Random());

    /// <summary>
    /// Sends from <paramref name="from"/> until <paramref name="link"/> gets the frame. A registration reaches other
    /// members with pub-sub gossip; until then the sender is answered <see cref="PeerUnreachable"/>. The answers go to
    /// the link's probe too (through a relay on the sending member), so each attempt ends in exactly one message to it.
    /// </summary>
    private static Task DeliveredThrough(HubMember from, TestProbe link, PublicKey peer)
    {
        var answers = TestHub.Relay(from, link);
        return link.AwaitAssertAsync(() =>
        {
            var sent = Frame();
            from.PeerLinks.Tell(new SendToPeer(peer, sent), answers);
            var outcome = link.ReceiveOne(Wait);
            var delivered = Assert.IsType<PeerDelivery>(outcome);
            Assert.Equal(peer, delivered.Peer);
            Assert.Equal(sent, delivered.Frame);
        }, TestHub.Patience, TimeSpan.FromMilliseconds(100));
    }
}
