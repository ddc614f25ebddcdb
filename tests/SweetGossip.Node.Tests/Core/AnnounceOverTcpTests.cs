using Akka.Actor;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Policies;
using SweetGossip.Node.Tests.Transport;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using SweetGossip.Protocol.Validation;
using static SweetGossip.Node.Tests.Core.InProcessNetwork;

namespace SweetGossip.Node.Tests.Core;

/// <summary>Announce dissemination (docs/protocol.md D24) with every link on real TCP (loopback, ephemeral ports).</summary>
public class AnnounceOverTcpTests
{
    private const ulong Price = 25_000 * Sat;
    private const ulong Liquidity = 100_000 * Sat;

    private static Task<ListeningNode> StartAsync(InProcessNetwork net, string name, ulong balance, IReplyPolicy? policy = null, IReadOnlyList<ListeningNode>? peers = null,
        TimeSpan? deliverTimeout = null) =>
        net.StartTcpAsync(name, balance, policy, peers, tweak: s => s with
        {
            Dissemination = Dissemination.Announce,
            DeliverTimeout = deliverTimeout ?? NodeDefaults.Node.DeliverTimeout,
        });

    private static Task AwaitPeers(ListeningNode node, int count) => InProcessNetwork.AwaitPeersAsync(node, count);

    [Fact]
    public async Task A_taxi_job_announced_across_two_middlemen_over_tcp_is_answered_paid_and_validated()
    {
        await using var net = new InProcessNetwork();
        var driver = await StartAsync(net, "driver", 0, new TaxiDriverPolicy("r3gx", Price, "Prius, 6 min away"));
        var m2 = await StartAsync(net, "m2", Liquidity, peers: [driver]);
        var m1 = await StartAsync(net, "m1", Liquidity, peers: [m2]);
        var rider = await StartAsync(net, "rider", 1_000_000 * Sat, peers: [m1]);
        foreach (var (node, count) in new[] { (rider, 1), (m1, 2), (m2, 2), (driver, 1) })
            await AwaitPeers(node, count);

        var inbox = Inbox.Create(net.System);
        rider.Running.Node.Tell(new SubscribeReplies(inbox.Receiver));
        var now = DateTimeOffset.UtcNow;
        rider.Running.Node.Tell(new OriginateTopic(TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now), TimeSpan.FromMinutes(20)));
        var delivered = (ReplyDelivered)await inbox.ReceiveAsync(InProcessNetwork.Timeout);

        Assert.Equal("Prius, 6 min away", delivered.Message);
        Assert.True(delivered.AckConfirmed);
        Assert.Equal(Price + 2 * 1_000, delivered.PaidMsat);
    }

    /// <summary>
    /// A hostile peer announces a payload to a node first, takes the favour, and never delivers. Another announcer of
    /// the same payload (an honest relay) is granted a favour once deliver-timeout has passed, and delivers: the node
    /// gets the topic, and tells the silent one it already has it.
    /// </summary>
    [Fact]
    public async Task Announcer_that_never_delivers_cannot_cut_the_branch_over_tcp()
    {
        await using var net = new InProcessNetwork();
        var target = await StartAsync(net, "target", Liquidity, deliverTimeout: TimeSpan.FromSeconds(1));
        var relay = await StartAsync(net, "relay", Liquidity, peers: [target]);
        await AwaitPeers(target, 1);

        var key = PrivateKey.Generate();
        var now = UnixTime.Truncate(DateTimeOffset.UtcNow);
        var request = SignedRequestPayload.Sign(new RequestPayload(PayloadId.New(), TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now),
            net.Authority.Issue(key.PublicKey, "rider", [], now.AddDays(-1), now.AddDays(30)), PrivateKey.Generate().PublicKey, now, now.AddMinutes(20)), key);
        var announcement = new TopicAnnouncement(AskId.New(), request.Payload.PayloadId, request.PayloadHash, 5);

        await using var toTarget = await RawPeer.ConnectAsync(target.Listening.Address, key: key);
        await toTarget.HandshakeAsync(target.Settings.Identity.PublicKey);
        await toTarget.SendFrameAsync(announcement);
        var silentFavour = await toTarget.ReceiveAsync<PowFavourConditions>(); // granted first, never redeemed
        Assert.Equal(announcement.AskId, silentFavour.AskId);

        // The same payload reaches the target's other neighbour, which announces it too, and waits its turn.
        await using var toRelay = await RawPeer.ConnectAsync(relay.Listening.Address, key: key);
        await toRelay.HandshakeAsync(relay.Settings.Identity.PublicKey);
        await toRelay.SendFrameAsync(announcement with { AskId = AskId.New() });
        var conditions = await toRelay.ReceiveAsync<PowFavourConditions>();
        var challenge = FavourChallenge.For(conditions, request.PayloadHash, relay.Settings.Identity.PublicKey);
        var nonce = PowSolver.Solve(challenge.ComputeChallengeHash(), conditions.DifficultyBits, 0, ulong.MaxValue, CancellationToken.None).Nonce;
        await toRelay.SendFrameAsync(new Broadcast(conditions.FavourId, request, new PowProof(nonce), 5, 0));

        var told = await toTarget.ReceiveAsync<AlreadyHave>();
        Assert.Equal(request.Payload.PayloadId, told.PayloadId);
        var status = await target.Running.Node.Ask<NodeStatus>(GetNodeStatus.Instance, InProcessNetwork.Timeout);
        Assert.Equal(1, status.PayloadsSeen);
    }
}
