using Akka.Actor;
using Akka.TestKit;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Hub;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Policies;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using SweetGossip.Protocol.Validation;

namespace SweetGossip.Cluster.Tests;

/// <summary>
/// A peer's link is not where its topic is: the member that asked it (A) is not the member holding its link now (the
/// peer redialled C after B's link closed), nor the member whose book scores it. Three members of one hub on loopback,
/// each a real node with its own journal.
/// </summary>
public class HubLinkMovesTests
{
    private const ulong Sat = 1000;
    private static readonly TimeSpan Patience = TestHub.Patience;
    private static readonly TimeSpan Attempt = TimeSpan.FromSeconds(3);
    private static readonly TcpTransportSettings Loopback = NodeDefaults.Transport with { Listen = "127.0.0.1:0" };

    private sealed class World : IAsyncDisposable
    {
        public readonly CertificateAuthority Authority = new("Hub Test Council", PrivateKey.Generate());
        public readonly TrustedAuthorities Trusted = new();
        public readonly EmbeddedLightningNetwork Lightning = new(new EmbeddedNetworkOptions { Seed = 21 });
        public readonly string Directory = Path.Combine(Path.GetTempPath(), "sg-hubmove-" + Guid.NewGuid().ToString("N")[..8]);
        public readonly PrivateKey HubKey = PrivateKey.Generate();
        public TestHub Hub = null!;
        public ActorSystem? Peers;
        public readonly List<ListeningNode> Members = [];

        public World() => Trusted.Trust(Authority.Name, Authority.PublicKey);

        public static async Task<World> StartAsync(int members, Func<NodeSettings, NodeSettings>? tune = null)
        {
            var world = new World();
            world.Hub = await TestHub.StartAsync(members, i => NodeConfig.Build(dataDirectory: Path.Combine(world.Directory, "member" + i)));
            for (var i = 0; i < members; i++)
                world.Members.Add(await NodeHost.StartTcpAsync(world.Hub[i].System, "node", (tune ?? (settings => settings))(world.Settings(world.HubKey, "relay")), Loopback,
                    world.Lightning.CreateNode(100_000 * Sat), TimeProvider.System, SettlementSettings.Default, hub: HubRole.Of(world.Hub[i])));
            return world;
        }

        public async Task<ListeningNode> Plain(string name, ListeningNode member)
        {
            Peers ??= ActorSystem.Create("peers", NodeConfig.Build("akka.loglevel = WARNING", Path.Combine(Directory, "peers")));
            return await NodeHost.StartTcpAsync(Peers, name, Settings(PrivateKey.Generate(), "rider") with { StaticPeers = [member.Listening.Address] },
                Loopback, Lightning.CreateNode(0), TimeProvider.System, SettlementSettings.Default);
        }

        public NodeSettings Settings(PrivateKey key, string role)
        {
            var now = DateTimeOffset.UtcNow;
            return NodeDefaults.Node with
            {
                Identity = key,
                CertificateKey = key,
                Certificate = Authority.Issue(key.PublicKey, role, [], now.AddDays(-1), now.AddDays(30)),
                Trusted = Trusted,
                ContactAddress = "",
                BaseDifficultyBits = 4,
                PowWorkers = 1,
                ReplyPolicy = NeverReply.Instance,
                // A topic waits for its ask's answer however slowly the link moves on a loaded machine.
                AskTimeout = TimeSpan.FromMinutes(2),
            };
        }

        public async ValueTask DisposeAsync()
        {
            if (Peers is not null) await Peers.Terminate();
            if (Hub is not null) await Hub.DisposeAsync();
            Lightning.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// Announcing, conditions for an ask of a topic that ended on this member are declined back to the peer, as on a plain
    /// node, and not published to the other members as unplaced. Before, the member published them (spending the peer's
    /// unplaced budget) and never declined, so the honest grantor judged the hub for a favour left undelivered.
    /// </summary>
    [Fact]
    public async Task Announcing_conditions_for_a_topic_that_ended_on_a_member_are_declined_not_published()
    {
        await using var world = await World.StartAsync(1, settings => settings with { Dissemination = Dissemination.Announce });
        var a = world.Members[0];
        var peer = PrivateKey.Generate().PublicKey;
        var onA = TestHub.Probe(world.Hub[0]);
        a.Running.Node.Tell(new PeerConnected(peer, onA.Ref));

        var published = TestHub.Probe(world.Hub[0]);
        Akka.Cluster.Tools.PublishSubscribe.DistributedPubSub.Get(world.Hub[0].System).Mediator
            .Tell(new Akka.Cluster.Tools.PublishSubscribe.Subscribe(Cluster.Peers.FrameViaMember.UnplacedTopic, published.Ref), published.Ref);
        published.ExpectMsg<Akka.Cluster.Tools.PublishSubscribe.SubscribeAck>(Patience);

        // The topic's announcement went out (its ask registered), then the topic ended: no actor takes the answer.
        var payloadId = PayloadId.New();
        var chooser = TestHub.Probe(world.Hub[0]);
        a.Running.Node.Tell(new ChoosePeers([], 1, payloadId), chooser.Ref);
        var ask = Assert.Single(chooser.ExpectMsg<PeersChosen>(Patience).Peers).AskId;
        var conditions = new PowFavourConditions(ask, FavourId.New(), UnixTime.Truncate(DateTimeOffset.UtcNow.AddMinutes(2)), PowSchemes.Sha256, 8);
        a.Running.Node.Tell(new FrameReceived(peer, conditions));

        onA.FishForMessage(m => m is SendFrame { Frame: FavourDeclined d } && d.PayloadId == payloadId
            || m is Cluster.Peers.PeerDelivery { Frame: FavourDeclined p } && p.PayloadId == payloadId, Patience);
        // A publish would leave at the same turn as the decline; nothing of the kind on this member.
        var copies = published.ReceiveWhile(TimeSpan.FromMilliseconds(500), m => m as Cluster.Peers.FrameViaMember);
        Assert.DoesNotContain(copies, v => v?.Frame is FavourConditions);
    }

    /// <summary>The next frame the registry hands this stand-in link (frames its node sends it directly are skipped).</summary>
    private static async Task<T?> NextDelivered<T>(TestProbe link, TimeSpan within) where T : Frame
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var message = await link.ReceiveOneAsync(deadline - DateTime.UtcNow);
            if (message is Cluster.Peers.PeerDelivery { Frame: T frame }) return frame;
            if (message is null) break;
        }
        return null;
    }

    /// <summary>The next frame this stand-in link is told to send by a node or topic on its own member.</summary>
    private static async Task<T?> NextSent<T>(TestProbe link, TimeSpan within) where T : Frame
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            var message = await link.ReceiveOneAsync(deadline - DateTime.UtcNow);
            if (message is SendFrame { Frame: T frame }) return frame;
            if (message is null) break;
        }
        return null;
    }

    /// <summary>
    /// Member A originates a topic and asks peer S on member B's link; then S's link to B closes and S redials member C.
    /// Returns S, the probe standing in for S's connection on C, A's ask, and an inbox of A's reply arrivals.
    /// </summary>
    private static async Task<(PublicKey Peer, TestProbe OnC, AskForFavour Ask, Inbox Replies, DateTimeOffset Now)> AskedOnBThenRedialledToC(World world)
    {
        var (a, b, c) = (world.Members[0], world.Members[1], world.Members[2]);
        var peer = PrivateKey.Generate().PublicKey;
        // Stand-ins for S's connection actors on B and then on C: what the members send S arrives at these probes.
        var onB = TestHub.Probe(world.Hub[1]);
        var onC = TestHub.Probe(world.Hub[2]);
        b.Running.Node.Tell(new PeerConnected(peer, onB.Ref));
        await TestHub.Eventually(async () => (await TestHub.Status(a)).Maps.GetValueOrDefault("hub-peers") >= 1, "member A sees the peer member B links to");

        var now = DateTimeOffset.UtcNow;
        var replies = Inbox.Create(world.Hub[0].System);
        a.Running.Node.Tell(new SubscribeReplies(replies.Receiver, IncludeArrivals: true));
        a.Running.Node.Tell(new OriginateTopic(Ride(now), TimeSpan.FromMinutes(20)));
        var ask = await NextDelivered<AskForFavour>(onB, Patience);
        Assert.NotNull(ask); // A's ask reached S on B's link

        b.Running.Node.Tell(new PeerDisconnected(peer, "link closed"), onB.Ref);
        c.Running.Node.Tell(new PeerConnected(peer, onC.Ref));
        return (peer, onC, ask, replies, now);
    }

    private static TaxiTopic Ride(DateTimeOffset now) => TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now);

    /// <summary>
    /// Member A's topic asks peer S, linked to member B; S's link to B closes and S redials member C, where it sends its
    /// conditions. C has no ask of that id and never carried A's frames, so it cannot know the owner; it offers the
    /// answer to every member, and A's topic (which did ask S with that id) takes it, solves the proof and sends its
    /// broadcast to S on C's link. Before, C judged the conditions "for unknown ask" and dropped them: S was scored down
    /// for answering honestly and A's favour was never done. S's reply, sent on C too, reaches A's topic the same way
    /// (C has no topic, no settled record and no learnt owner for the payload).
    /// </summary>
    [Fact]
    public async Task Answers_from_a_peer_that_redialled_a_third_member_after_being_asked_reach_the_asking_member()
    {
        await using var world = await World.StartAsync(3);
        var (a, c) = (world.Members[0], world.Members[2]);
        var (peer, onC, ask, replies, now) = await AskedOnBThenRedialledToC(world);

        // Until member A's registry sends to S on C's link (B's entry lingers a while, and the hub learns of C's by gossip).
        var marker = TestHub.Relay(world.Hub[0], TestHub.Probe(world.Hub[0]));
        AlreadyHave? seen = null;
        var moved = DateTime.UtcNow + Patience;
        while (seen is null && DateTime.UtcNow < moved)
        {
            world.Hub[0].PeerLinks.Tell(new Cluster.Peers.SendToPeer(peer, new AlreadyHave(PayloadId.New())), marker);
            seen = await NextDelivered<AlreadyHave>(onC, Attempt);
        }
        Assert.NotNull(seen);

        // S answers on C, once each attempt until A's broadcast comes back on C's link (the hub learns of the moved link,
        // and of every member's subscription, by gossip); A takes the first copy, later ones find the ask taken.
        var conditions = new PowFavourConditions(ask.AskId, new FavourId(Guid.NewGuid()), UnixTime.Truncate(now.AddMinutes(2)), PowSchemes.Sha256, 1);
        Broadcast? broadcast = null;
        var deadline = DateTime.UtcNow + Patience;
        while (broadcast is null && DateTime.UtcNow < deadline)
        {
            c.Running.Node.Tell(new FrameReceived(peer, conditions));
            broadcast = await NextDelivered<Broadcast>(onC, Attempt);
        }
        Assert.NotNull(broadcast);
        Assert.Equal(conditions.FavourId, broadcast.FavourId);
        Assert.Equal(ask.SignedRequest.Payload.PayloadId, broadcast.SignedRequest.Payload.PayloadId);

        // S replies on C: A, whose topic this is (A originated it), hears of the reply.
        var payloadId = ask.SignedRequest.Payload.PayloadId;
        c.Running.Node.Tell(new FrameReceived(peer, new Reply(payloadId, Hash32.Random(), 1000, "lnbcrt10n1fake", Bytes.Copy(new byte[64]), Bytes.Copy(new byte[64]))));
        var arrived = Assert.IsType<ReplyArrived>(await replies.ReceiveAsync(Patience));
        Assert.Equal((payloadId, peer), (arrived.PayloadId, arrived.Via));
    }

    /// <summary>
    /// An answer that names its payload (here a Reply) and that the peer's member cannot place goes to the payload's claim
    /// entity, which hands it to the claiming member only: member C, where S redialled, does not publish it to every member.
    /// One for a payload nobody claimed is still published (a member may hold a topic whose claim was already forgotten).
    /// Conditions name only their ask, whose id names the asking member (MemberAsks): C sends them to A's own topic.
    /// Before, every such answer was published to every member.
    /// </summary>
    [Fact]
    public async Task Answers_naming_a_claimed_payload_or_an_ask_go_to_the_claiming_or_asking_member_only()
    {
        await using var world = await World.StartAsync(3);
        var (a, c) = (world.Members[0], world.Members[2]);
        var (peer, onC, ask, replies, now) = await AskedOnBThenRedialledToC(world);
        var payloadId = ask.SignedRequest.Payload.PayloadId;
        Assert.Equal(Cluster.Peers.MemberTopic.TagOf(world.Hub[0].Address), new MemberAsks(world.HubKey, 0).TagOf(ask.AskId));

        // Member C's published answers, as a subscriber on C sees them.
        var published = TestHub.Probe(world.Hub[2]);
        Akka.Cluster.Tools.PublishSubscribe.DistributedPubSub.Get(world.Hub[2].System).Mediator
            .Tell(new Akka.Cluster.Tools.PublishSubscribe.Subscribe(Cluster.Peers.FrameViaMember.UnplacedTopic, published.Ref), published.Ref);
        published.ExpectMsg<Akka.Cluster.Tools.PublishSubscribe.SubscribeAck>(Patience);

        // S answers on C until A's broadcast comes back on C's link (conditions go to the asking member, by their ask id).
        var conditions = new PowFavourConditions(ask.AskId, new FavourId(Guid.NewGuid()), UnixTime.Truncate(now.AddMinutes(2)), PowSchemes.Sha256, 1);
        Broadcast? broadcast = null;
        var deadline = DateTime.UtcNow + Patience;
        while (broadcast is null && DateTime.UtcNow < deadline)
        {
            c.Running.Node.Tell(new FrameReceived(peer, conditions));
            broadcast = await NextDelivered<Broadcast>(onC, Attempt);
        }
        Assert.NotNull(broadcast);
        // Published conditions would have reached C's own subscriber before A's broadcast came back on C's link.
        Assert.DoesNotContain(published.ReceiveWhile(TimeSpan.FromMilliseconds(500), m => m as Cluster.Peers.FrameViaMember), v => v?.Frame is FavourConditions);

        // A reply for a payload no member claimed is published.
        Reply MadeUp(PayloadId id) => new(id, Hash32.Random(), 1000, "lnbcrt10n1fake", Bytes.Copy(new byte[64]), Bytes.Copy(new byte[64]));
        var unclaimed = MadeUp(PayloadId.New());
        c.Running.Node.Tell(new FrameReceived(peer, unclaimed));
        published.FishForMessage<Cluster.Peers.FrameViaMember>(v => v.Frame is Reply r && r.PayloadId == unclaimed.PayloadId, Patience);

        // S's reply to A's topic reaches A, and C published no copy of it.
        c.Running.Node.Tell(new FrameReceived(peer, MadeUp(payloadId)));
        var arrived = Assert.IsType<ReplyArrived>(await replies.ReceiveAsync(Patience));
        Assert.Equal((payloadId, peer), (arrived.PayloadId, arrived.Via));
        var copies = published.ReceiveWhile(TimeSpan.FromMilliseconds(500), m => m as Cluster.Peers.FrameViaMember);
        Assert.DoesNotContain(copies, v => v?.Frame is Reply r && r.PayloadId == payloadId);
    }

    /// <summary>
    /// M4: member B's topic asks peer S on B's own link (the topic keeps that link to send its broadcast straight there).
    /// S's link to B closes, S redials member A and answers there; the answer reaches B's topic through the hub. The
    /// topic solves the proof and must send the broadcast on A's link: before, it sent it to the closed link it kept (a
    /// dead letter in a real node), so S had done the favour, or been paid, and never got the payload.
    /// </summary>
    [Fact]
    public async Task A_peer_asked_on_the_owning_members_own_link_that_redials_another_member_gets_its_broadcast_there()
    {
        await using var world = await World.StartAsync(2);
        var (a, b) = (world.Members[0], world.Members[1]);
        var peer = PrivateKey.Generate().PublicKey;
        var onB = TestHub.Probe(world.Hub[1]);
        var onA = TestHub.Probe(world.Hub[0]);
        b.Running.Node.Tell(new PeerConnected(peer, onB.Ref));

        // B's own topic asks S straight on B's link.
        var now = DateTimeOffset.UtcNow;
        b.Running.Node.Tell(new OriginateTopic(Ride(now), TimeSpan.FromMinutes(20)));
        var ask = await NextSent<AskForFavour>(onB, Patience);
        Assert.NotNull(ask);

        // S's link to B closes; S redials A.
        b.Running.Node.Tell(new PeerDisconnected(peer, "link closed"), onB.Ref);
        a.Running.Node.Tell(new PeerConnected(peer, onA.Ref));

        // Until member B's registry sends to S on A's link.
        var marker = TestHub.Relay(world.Hub[1], TestHub.Probe(world.Hub[1]));
        AlreadyHave? seen = null;
        var moved = DateTime.UtcNow + Patience;
        while (seen is null && DateTime.UtcNow < moved)
        {
            world.Hub[1].PeerLinks.Tell(new Cluster.Peers.SendToPeer(peer, new AlreadyHave(PayloadId.New())), marker);
            seen = await NextDelivered<AlreadyHave>(onA, Attempt);
        }
        Assert.NotNull(seen);

        // S answers on A until B's broadcast comes back on A's link (the hub learns of every member's subscription by gossip).
        var conditions = new PowFavourConditions(ask.AskId, new FavourId(Guid.NewGuid()), UnixTime.Truncate(now.AddMinutes(2)), PowSchemes.Sha256, 1);
        Broadcast? broadcast = null;
        var deadline = DateTime.UtcNow + Patience;
        while (broadcast is null && DateTime.UtcNow < deadline)
        {
            a.Running.Node.Tell(new FrameReceived(peer, conditions));
            broadcast = await NextDelivered<Broadcast>(onA, Attempt);
        }
        Assert.NotNull(broadcast);
        Assert.Equal(conditions.FavourId, broadcast.FavourId);
        Assert.Equal(ask.SignedRequest.Payload.PayloadId, broadcast.SignedRequest.Payload.PayloadId);
    }

    /// <summary>
    /// Member A's topic asks peer S on A's own link (the topic keeps that link to send its broadcast straight there). S's
    /// link closes and S redials the same member A; its conditions, read off the old link, reach the topic after the
    /// redial. The broadcast must go on S's new link: before, it went to the closed link the topic kept (a dead letter in
    /// a real member), the favour was paid and the payload lost. No frame came through another member, so the fix for a
    /// link that moved to another member did not apply.
    /// </summary>
    [Fact]
    public async Task A_peer_that_redials_the_same_member_between_its_conditions_and_the_broadcast_gets_the_broadcast_on_its_new_link()
    {
        await using var world = await World.StartAsync(2);
        var a = world.Members[0];
        var peer = PrivateKey.Generate().PublicKey;
        var oldLink = TestHub.Probe(world.Hub[0]);
        var newLink = TestHub.Probe(world.Hub[0]);
        a.Running.Node.Tell(new PeerConnected(peer, oldLink.Ref));

        var now = DateTimeOffset.UtcNow;
        a.Running.Node.Tell(new OriginateTopic(Ride(now), TimeSpan.FromMinutes(20)));
        var ask = await NextSent<AskForFavour>(oldLink, Patience);
        Assert.NotNull(ask);

        a.Running.Node.Tell(new PeerDisconnected(peer, "link closed"), oldLink.Ref);
        a.Running.Node.Tell(new PeerConnected(peer, newLink.Ref));
        var conditions = new PowFavourConditions(ask.AskId, new FavourId(Guid.NewGuid()), UnixTime.Truncate(now.AddMinutes(2)), PowSchemes.Sha256, 1);
        a.Running.Node.Tell(new FrameReceived(peer, conditions), oldLink.Ref);

        var broadcast = await NextSent<Broadcast>(newLink, Patience);
        Assert.NotNull(broadcast);
        Assert.Equal(conditions.FavourId, broadcast.FavourId);
    }

    /// <summary>
    /// Member A judges a peer linked only to member B (what A's topics report of it: here twice an invalid frame, -80,
    /// below the -50 threshold). A's judgement reaches B's link, B's book scores it, and B cuts the link. Before, only A's
    /// book counted it: A holds no link to cut, and B kept serving the peer.
    /// </summary>
    [Fact]
    public async Task A_peer_linked_to_member_B_that_misbehaves_on_member_A_s_topic_is_cut_by_member_B()
    {
        await using var world = await World.StartAsync(2);
        var (a, b) = (world.Members[0], world.Members[1]);
        var peer = await world.Plain("s", b);
        var key = peer.Settings.Identity.PublicKey;
        await TestHub.Eventually(async () => (await TestHub.Status(b)).Peers >= 1, "the peer linked to member B");
        await TestHub.Eventually(async () => (await TestHub.Status(a)).Maps.GetValueOrDefault("hub-peers") >= 1, "member A sees the peer member B links to");

        // A's topics judge the peer (until A's registry has learnt where its link is, a judgement may find no member).
        await TestHub.Eventually(async () =>
        {
            a.Running.Node.Tell(new ReportPeer(key, PeerBehaviour.InvalidFrame, "conditions for ask 1, which this topic did not send it"));
            a.Running.Node.Tell(new ReportPeer(key, PeerBehaviour.InvalidFrame, "conditions for ask 2, which this topic did not send it"));
            return (await TestHub.Status(b)).Peers == 0;
        }, "member B cuts the peer member A judged");
    }
}
