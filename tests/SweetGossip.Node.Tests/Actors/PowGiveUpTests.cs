using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Policies;
using SweetGossip.Node.Pow;
using SweetGossip.Node.Topics;
using SweetGossip.Node.Tests.Support;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using SweetGossip.Protocol.Validation;

namespace SweetGossip.Node.Tests.Actors;

/// <summary>A topic's proof of work stuck behind a busy worker, on a test scheduler and a manual clock (no waits).</summary>
public class PowGiveUpTests() : TestKit(ConfigurationFactory.ParseString("akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"")
    .WithFallback(NodeConfig.Reference).WithFallback(ConfigurationFactory.ParseString(TestKitConfig.Hocon)))
{
    private static readonly DateTimeOffset Start = UnixTime.Truncate(DateTimeOffset.UtcNow);
    private readonly CertificateAuthority _authority = new("Test Council", PrivateKey.Generate());
    private readonly PrivateKey _key = PrivateKey.Generate();

    [Fact]
    public void An_announced_favour_whose_proof_waits_behind_a_busy_worker_is_declined_a_margin_before_the_grantors_deliver_deadline()
    {
        var clock = new ManualTimeProvider(Start);
        var scheduler = (TestScheduler)Sys.Scheduler;
        var trusted = new TrustedAuthorities();
        trusted.Trust(_authority.Name, _authority.PublicKey);
        var settings = NodeDefaults.Node with
        {
            Identity = _key, CertificateKey = _key, Trusted = trusted, ContactAddress = "me", Fanout = 1, ReplyPolicy = NeverReply.Instance,
            Certificate = _authority.Issue(_key.PublicKey, "relay", [], Start.AddDays(-1), Start.AddDays(1)),
            Dissemination = Dissemination.Announce, DeliverTimeout = TimeSpan.FromSeconds(5), PowDeclineMargin = TimeSpan.FromMilliseconds(500),
        };
        // The only worker is busy with another neighbour's hard proof: it never gets to this job.
        var busyWorker = CreateTestProbe();
        var (node, settlement, grantor) = (CreateTestProbe(), CreateTestProbe(), CreateTestProbe());
        var topic = Sys.ActorOf(TopicActor.ForBroadcast(settings, clock, node.Ref, settlement.Ref, new PowPool(busyWorker.Ref, new PowQueue(16)),
            Received(), PrivateKey.Generate().PublicKey, new TopicEarnings(1 << 20, 0), (4, 1_700)));
        node.ExpectMsg<ChoosePeers>();
        var g = PrivateKey.Generate().PublicKey;
        var askId = AskId.New();
        topic.Tell(new PeersChosen([new ChosenPeer(g, grantor.Ref, askId)]), node.Ref);
        grantor.ExpectMsg<SendFrame>(); // the announcement

        // G grants a 2-minute favour; G itself moves on to another announcer after its deliver-timeout (5 s).
        topic.Tell(new FrameReceived(g, new PowFavourConditions(askId, FavourId.New(), Start.AddMinutes(2), PowSchemes.Sha256, 12)), grantor.Ref);
        Assert.Equal(Start + TimeSpan.FromMilliseconds(4_500), busyWorker.ExpectMsg<SolvePow>().Until);

        clock.Advance(TimeSpan.FromMilliseconds(4_500));
        scheduler.Advance(TimeSpan.FromMilliseconds(4_500));
        // Declined 500 ms before G's deadline: in time to be excused (AnnounceRouterTests' in-time decline).
        Assert.IsType<FavourDeclined>(grantor.ExpectMsg<SendFrame>().Frame);
    }

    private Broadcast Received()
    {
        var rider = PrivateKey.Generate();
        var certificate = _authority.Issue(rider.PublicKey, "rider", [], Start.AddDays(-1), Start.AddDays(1));
        var request = SignedRequestPayload.Sign(new RequestPayload(PayloadId.New(), TaxiTopic.Create(-33.8647, 151.2096, 7, Start, Start.AddMinutes(30), Start),
            certificate, PrivateKey.Generate().PublicKey, Start, Start.AddMinutes(20)), rider);
        return new Broadcast(FavourId.New(), request, new PowProof(0), 5, 1_000);
    }
}
