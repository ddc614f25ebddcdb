using Akka.Actor;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Routing;
using SweetGossip.Node.Tests.Core;
using SweetGossip.Node.Tests.Transport;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Node.Tests.Peers;

/// <summary>
/// A penalty takes effect before the peer's next frame is handled, wherever it was decided: in the peer's connection
/// (which checks the book before each frame) or in the node's guardian (which records it in the book at once, and whose
/// router ignores every frame of a banned peer already on its way).
/// </summary>
public class PenaltyBeforeNextFrameTests
{
    public enum FirstBadFrame
    {
        /// <summary>Judged by the node's router: there is no such ask.</summary>
        ConditionsForAnAskNeverMade,
        /// <summary>Judged by the peer's connection: its request does not validate.</summary>
        AskUnderAnUnknownAuthority,
    }

    private static readonly DateTimeOffset Now = UnixTime.Truncate(DateTimeOffset.UtcNow);

    private static SignedRequestPayload Request(CertificateAuthority authority, PrivateKey rider) => SignedRequestPayload.Sign(new RequestPayload(PayloadId.New(),
        TaxiTopic.Create(-33.8647, 151.2096, 7, Now, Now.AddMinutes(30), Now), authority.Issue(rider.PublicKey, "rider", [], Now.AddDays(-1), Now.AddDays(1)),
        PrivateKey.Generate().PublicKey, Now, Now.AddMinutes(20)), rider);

    private static Task<NodeStatus> Status(ListeningNode node, Func<NodeStatus, bool> accept) =>
        Support.Eventually.Value(() => node.Running.Node.Ask<NodeStatus>(GetNodeStatus.Instance, InProcessNetwork.Timeout), accept);

    [Theory]
    [InlineData(FirstBadFrame.ConditionsForAnAskNeverMade)]
    [InlineData(FirstBadFrame.AskUnderAnUnknownAuthority)]
    public async Task No_frame_after_the_first_invalid_one_reaches_the_router(FirstBadFrame bad)
    {
        await using var net = new InProcessNetwork();
        var key = PrivateKey.Generate();
        var settings = NodeDefaults.Node with
        {
            Identity = key,
            CertificateKey = key,
            Certificate = net.Authority.Issue(key.PublicKey, "relay", [], Now.AddDays(-1), Now.AddDays(30)),
            Trusted = net.Trusted,
            ContactAddress = "",
            BaseDifficultyBits = 8,
            PowWorkers = 1,
            // One invalid frame is fatal here, so "after the first invalid one" means every frame but that one.
            Scoring = PeerScoreParameters.Default with { InvalidWeight = -60 },
        };
        var node = await NodeHost.StartTcpAsync(net.System, "relay", settings, NodeDefaults.Transport with { Listen = "127.0.0.1:0" }, net.Lightning.CreateNode(0), TimeProvider.System, NodeDefaults.Settlement);
        await using var attacker = await RawPeer.ConnectAsync(node.Listening.Address);
        await attacker.HandshakeAsync(key.PublicKey);
        await Status(node, s => s.Peers == 1);

        // The bad frame, then 300 asks the node would answer with a favour each, all in one TCP write.
        var rider = PrivateKey.Generate();
        var frames = new List<Frame>
        {
            bad == FirstBadFrame.ConditionsForAnAskNeverMade
                ? new PowFavourConditions(AskId.New(), FavourId.New(), Now.AddMinutes(2), "sha256", 8)
                : new AskForFavour(AskId.New(), Request(new CertificateAuthority("Elsewhere", PrivateKey.Generate()), rider)),
        };
        for (var i = 0; i < 300; i++) frames.Add(new AskForFavour(AskId.New(), Request(net.Authority, rider)));
        await attacker.SendAsync(frames.SelectMany(f => attacker.Link!.Seal(FrameCodec.Encode(f))).ToArray());

        // The connection tells the node it is gone after every frame it passed on: once the node has no peer, it has handled them all.
        var status = await Status(node, s => s.Peers == 0);
        Assert.Equal(0, status.FavoursOpen);
        await attacker.ClosedByPeerAsync();
    }

    [Fact]
    public void The_router_ignores_every_frame_of_a_banned_peer()
    {
        var authority = new CertificateAuthority("Test Council", PrivateKey.Generate());
        var trusted = new TrustedAuthorities();
        trusted.Trust(authority.Name, authority.PublicKey);
        var nodeKey = PrivateKey.Generate();
        var settings = NodeDefaults.Node with
        {
            Identity = nodeKey, CertificateKey = nodeKey, Trusted = trusted, ContactAddress = "node", BaseDifficultyBits = 4,
            Certificate = authority.Issue(nodeKey.PublicKey, "relay", [], Now.AddDays(-1), Now.AddDays(1)),
        };
        var book = new PeerScoreBook(PeerScoreParameters.Default);
        var router = new NodeRouter(settings, new FrameScreen(trusted), LightningNodeId.FromPrivateKey(PrivateKey.Generate()), book);
        var (peer, other) = (PrivateKey.Generate().PublicKey, PrivateKey.Generate().PublicKey);
        router.PeerUp(peer);
        router.PeerUp(other);
        var rider = PrivateKey.Generate();

        book.Record(peer, PeerBehaviour.MalformedFrame, Now);
        book.Record(peer, PeerBehaviour.MalformedFrame, Now); // banned, its link not yet down

        Assert.Empty(router.OnFrame(new FrameReceived(peer, new AskForFavour(AskId.New(), Request(authority, rider))) { Verified = true }, Now));
        Assert.IsType<SendTo>(Assert.Single(router.OnFrame(new FrameReceived(other, new AskForFavour(AskId.New(), Request(authority, rider))) { Verified = true }, Now)));
        Assert.Equal(1, router.OpenFavours);
    }
}
