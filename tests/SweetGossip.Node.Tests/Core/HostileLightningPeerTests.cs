using Akka.Actor;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Node.Tests.Transport;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using static SweetGossip.Node.Tests.Core.InProcessNetwork;

namespace SweetGossip.Node.Tests.Core;

/// <summary>
/// A hostile middleman, written by hand on a raw TCP socket, answers a rider's asks with Lightning favour
/// conditions whose invoices are not what the conditions say. The rider pays nothing, scores the peer for an
/// invalid frame each time, and drops it once its score falls below the threshold.
/// </summary>
public class HostileLightningPeerTests
{
    private static readonly TcpTransportSettings Loopback = NodeDefaults.Transport with { Listen = "127.0.0.1:0" };

    [Fact]
    public async Task Favour_invoices_that_do_not_match_their_conditions_are_never_paid_and_cost_the_peer_its_link()
    {
        await using var net = new InProcessNetwork();
        const ulong riderBalance = 2_000_000_000; // enough to pay the inflated invoice, were it paid
        var key = PrivateKey.Generate();
        var now = DateTimeOffset.UtcNow;
        var rider = await NodeHost.StartTcpAsync(net.System, "rider", NodeDefaults.Node with
        {
            Identity = key,
            CertificateKey = key,
            Certificate = net.Authority.Issue(key.PublicKey, "rider", [], now.AddDays(-1), now.AddDays(30)),
            Trusted = net.Trusted,
            ContactAddress = "",
            PowWorkers = 1,
            Fanout = 1,
        }, Loopback, net.Lightning.CreateNode(riderBalance), TimeProvider.System, NodeDefaults.Settlement);
        var attacker = net.Lightning.CreateNode(0);
        var bystander = net.Lightning.CreateNode(0);

        await using var hostile = await RawPeer.ConnectAsync(rider.Listening.Address);
        await hostile.HandshakeAsync(key.PublicKey);
        var announced = await hostile.ReceiveAsync<LightningNodeAnnouncement>(); // the rider says where it is paid
        Assert.Equal(rider.Running.Lightning.NodeId.ToBytes(), announced.NodeId.ToArray());
        await hostile.SendFrameAsync(new LightningNodeAnnouncement(Bytes.Copy(attacker.NodeId.ToBytes())));

        // Price 1 msat, invoice for 10^9 msat: pay it and the rider is emptied, once per ask.
        var inflated = await attacker.AddHoldInvoiceAsync(Hash32.Random().Sha256(), 1_000_000_000, "favour", TimeSpan.FromMinutes(2), 40);
        await AnswerNextAsk(rider, hostile, priceMsat: 1, inflated.PaymentRequest);
        // The right price, but a third party's invoice: the rider would pay someone else for the attacker's favour.
        var elsewhere = await bystander.AddHoldInvoiceAsync(Hash32.Random().Sha256(), 1, "favour", TimeSpan.FromMinutes(2), 40);
        await AnswerNextAsk(rider, hostile, priceMsat: 1, elsewhere.PaymentRequest);

        // Two invalid frames (−40 each) take the score below −50: the rider closes the link.
        await hostile.ClosedByPeerAsync();
        Assert.Equal(riderBalance, (await rider.Running.Lightning.GetBalanceAsync()).AvailableMsat);
        Assert.Equal(InvoiceState.Open, (await attacker.LookupInvoiceAsync(inflated.PaymentHash)).State);
        Assert.Equal(InvoiceState.Open, (await bystander.LookupInvoiceAsync(elsewhere.PaymentHash)).State);
    }

    private static async Task AnswerNextAsk(ListeningNode rider, RawPeer hostile, ulong priceMsat, string invoice)
    {
        var now = UnixTime.Truncate(DateTimeOffset.UtcNow);
        rider.Running.Node.Tell(new OriginateTopic(TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now), TimeSpan.FromMinutes(20)));
        var ask = await hostile.ReceiveAsync<AskForFavour>();
        await hostile.SendFrameAsync(new LightningFavourConditions(ask.AskId, FavourId.New(), now.AddMinutes(2), priceMsat, invoice));
    }
}
