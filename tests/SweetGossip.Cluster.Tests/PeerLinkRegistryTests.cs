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

        await Unregister(hub[0], peer, link);
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

    /// <summary>
    /// A frame sent in the moment a peer's link moves (closed on member 0, the peer redialling member 1) finds no link:
    /// member 2's view still points at member 0's lingering entry, or at nobody. It is held, and reaches the peer's new
    /// link once the hub learns of it. Before, it was answered PeerUnreachable at once and lost.
    /// </summary>
    [Fact]
    public async Task A_frame_sent_while_a_peers_link_moves_is_held_and_reaches_the_new_link()
    {
        await using var hub = await TestHub.StartAsync(3, extraSettings: "peer-links.hold-for = 30s");
        var peer = PrivateKey.Generate().PublicKey;
        var link1 = TestHub.Probe(hub[0]);
        hub[0].PeerLinks.Tell(new RegisterPeerLink(peer, link1.Ref));
        await DeliveredThrough(hub[2], link1, peer);

        var sender = TestHub.Probe(hub[2]);
        var answers = TestHub.Relay(hub[2], sender);
        await Unregister(hub[0], peer, link1);
        var moving = Frame();
        hub[2].PeerLinks.Tell(new SendToPeer(peer, moving), answers);
        var link2 = TestHub.Probe(hub[1]);
        hub[1].PeerLinks.Tell(new RegisterPeerLink(peer, link2.Ref));

        var delivered = link2.ExpectMsg<PeerDelivery>(Wait);
        Assert.Equal(moving, delivered.Frame);
        Assert.False(sender.HasMessages, "the sender was told the peer was unreachable");
        link1.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    /// <summary>
    /// Held frames are bounded: a peer no link takes gets 16 held (hold-frames-per-peer); the 17th is answered
    /// PeerUnreachable at once, and the 16 when their deadline passes. Nothing is kept after that.
    /// </summary>
    [Fact]
    public async Task Frames_held_for_a_peer_are_bounded_and_answered_unreachable_when_their_deadline_passes()
    {
        await using var hub = await TestHub.StartAsync(1, extraSettings: "peer-links.hold-for = 5s\npeer-links.hold-frames-per-peer = 16");
        var nobody = PrivateKey.Generate().PublicKey;
        var sender = TestHub.Probe(hub[0]);
        var frames = Enumerable.Range(0, 17).Select(_ => Frame()).ToList();
        foreach (var frame in frames) hub[0].PeerLinks.Tell(new SendToPeer(nobody, frame), sender.Ref);

        // The 17th is over the bound: answered before the held ones' deadline.
        Assert.Equal(frames[16], sender.ExpectMsg<PeerUnreachable>(Wait).Frame);
        var expired = Enumerable.Range(0, 16).Select(_ => sender.ExpectMsg<PeerUnreachable>(Wait).Frame).ToList();
        Assert.True(frames.Take(16).ToHashSet().SetEquals(expired), "the 16 held frames were not each answered once");
    }

    /// <summary>
    /// A held frame offered again that lands on another member (here: handed to the registry as a lingering entry hands
    /// it) keeps the deadline of its first hold. Before, each member gave it a fresh hold-for: a frame bouncing between
    /// lingering entries was never answered.
    /// </summary>
    [Fact]
    public async Task A_frame_held_again_on_another_member_keeps_its_first_deadline()
    {
        await using var hub = await TestHub.StartAsync(1, extraSettings: "peer-links.hold-for = 60s");
        var nobody = PrivateKey.Generate().PublicKey;
        var sender = TestHub.Probe(hub[0]);
        var frame = Frame();
        hub[0].PeerLinks.Tell(new HoldForLink(new PeerDelivery(nobody, frame, DateTimeOffset.UtcNow.AddSeconds(1)), "a lingering entry"), sender.Ref);

        // Answered once the first deadline passes, before this member's own minute (Wait is half of it).
        Assert.Equal(frame, sender.ExpectMsg<PeerUnreachable>(Wait).Frame);
    }

    /// <summary>
    /// Unregisters <paramref name="link"/> and waits until its member's registry has taken that in. A probe, unlike a
    /// closing connection, still takes frames once unregistered: without the wait, a frame sent next from another member
    /// can reach the entry before the registry retargets it, and the old link gets it (seen under load).
    /// </summary>
    private static Task Unregister(HubMember member, PublicKey peer, TestProbe link)
    {
        member.PeerLinks.Tell(new UnregisterPeerLink(peer, link.Ref));
        // Identify is answered in mailbox order: the unregistration, and the entry's retarget it sends, came first.
        return member.PeerLinks.Ask<ActorIdentity>(new Identify(null), Wait);
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
