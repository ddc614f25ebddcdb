using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using SweetGossip.Cluster.Hosting;
using SweetGossip.Cluster.Serialization;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Hub;
using SweetGossip.Node.Settlement;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Cluster.Tests;

/// <summary>The settlement messages between hub members: exact round trips, and hostile bytes refused with a reason.</summary>
public sealed class SettlementMessageSerializerTests : TestKit
{
    private static readonly Config Remote = ConfigurationFactory.ParseString("""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.loglevel = WARNING
        """).WithFallback(ConfigurationFactory.ParseString(SettlementMessageSerializer.Hocon))
        .WithFallback(ConfigurationFactory.ParseString(AkkaClusterConfig.SerializationHocon));

    public SettlementMessageSerializerTests() : base(Remote, "member-a")
    {
    }

    private static readonly LightningNodeId Payee = LightningNodeId.FromBytes(Convert.FromHexString("0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"));

    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_900_000_000_123).AddTicks(4567);

    private static HoldInvoice Invoice => new("lnbcrt7u1p" + new string('q', 300), Hash32.Random(), 700_000, At, At.AddHours(1), 40, Payee);

    public static TheoryData<object> AllowListed() => new()
    {
        IssueInvoice.Settled(Hash32.Random(), 700_000, "reply", TimeSpan.FromMinutes(10), 40),
        new IssueInvoice(Hash32.Random(), 1, "", TimeSpan.FromSeconds(1), 9),
        new PayInvoice("lnbcrt1", new PaymentTerms(1, 2, 3, Payee, Hash32.Random(), At)),
        new PayInvoice("lnbcrt2"),
        new DecodeInvoice("lnbcrt3"),
        new SettleInvoice(Hash32.Random()),
        new CancelInvoice(Hash32.Random()),
        new RelayPayment("lnbcrt4", new RelayTerms(10, TimeSpan.FromMinutes(5), 80, "relay"), new PaymentTerms(MinAmountMsat: 5, Payee: Payee)),
        new RelayPayment("lnbcrt5", new RelayTerms(0, TimeSpan.Zero)),
        new MarkReplyDelivered(Hash32.Random()),
        new InvoiceIssued(Invoice),
        new RelayOpened(Invoice, 699_000),
        new PaymentCompleted(PaymentResult.Success(Hash32.Random(), 5, 1, Hash32.Random())),
        new PaymentCompleted(PaymentResult.Failure(Hash32.Random(), 5, PaymentFailureReason.HoldExpired, "held too long")),
        new InvoiceSettled(Hash32.Random(), Hash32.Random()),
        new InvoiceCancelled(Hash32.Random(), "expired"),
        new SettlementRejected(nameof(PayInvoice), SettlementRefusal.AlreadyPaid, "twice"),
        new PreimageLearned(Hash32.Random(), Hash32.Random()),
        new InvoiceChanged(Hash32.Random(), RecordedInvoiceState.Accepted),
        new DecodedPaymentRequest(Payee, Hash32.Random(), 42, "memo", At, At.AddMinutes(1), 18),
    };

    private SettlementMessageSerializer Serializer => (SettlementMessageSerializer)Sys.Serialization.FindSerializerForType(typeof(SettleInvoice));

    private object RoundTrip(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<SettlementMessageSerializer>(serializer);
        var manifest = Serializer.Manifest(message);
        return Serializer.FromBinary(serializer.ToBinary(message), manifest);
    }

    [Theory]
    [MemberData(nameof(AllowListed))]
    public void Every_allow_listed_settlement_message_round_trips_exactly(object message) => Assert.Equal(message, RoundTrip(message));

    /// <summary>Two serializers under one identifier: Akka keeps the last, so the other's bytes would be read by the wrong one.</summary>
    [Fact]
    public void The_settlement_serializer_does_not_take_another_hub_serializers_identifier()
    {
        // Bytes tagged with the refusing serializer's id are refused by it, not read by the settlement serializer.
        var refused = Assert.ThrowsAny<Exception>(() => Sys.Serialization.Deserialize([1], UnboundMessageSerializer.Id, ""));
        Assert.Contains("no serializer binding between hub members", (refused.InnerException ?? refused).Message);
        Assert.IsType<SettlementMessageSerializer>(Sys.Serialization.FindSerializerForType(typeof(IssueInvoice)));
        Assert.Equal(3, new[] { UnboundMessageSerializer.Id, SettlementMessageSerializer.Id, SweetGossip.Cluster.Serialization.HubMessageSerializer.Id }.Distinct().Count());
    }

    [Fact]
    public void Watchers_and_purchase_handlers_cross_members_as_actor_paths()
    {
        var probe = CreateTestProbe();
        var watch = (WatchPayment)RoundTrip(new WatchPayment(Hash32.Random(), probe.Ref));
        Assert.Equal(probe.Ref.Path, watch.Subscriber.Path);
        Assert.Equal(probe.Ref.Path, ((AttachPurchaseHandler)RoundTrip(new AttachPurchaseHandler(probe.Ref))).Handler.Path);
    }

    /// <summary>A reply bought for a signed taxi request: the request, its reply key and a Reply for its payload.</summary>
    private static ReplyPurchase Purchase(PrivateKey? replyKey = null, PayloadId? replyFor = null)
    {
        var authority = new CertificateAuthority("Hub Test Council", PrivateKey.Generate());
        var rider = PrivateKey.Generate();
        var certificate = authority.Issue(rider.PublicKey, "rider", [], At.AddDays(-1), At.AddDays(30));
        var key = PrivateKey.Generate();
        var request = SignedRequestPayload.Sign(
            new RequestPayload(PayloadId.New(), TaxiTopic.Create(-33.8647, 151.2096, 7, At, At.AddMinutes(30), At), certificate, key.PublicKey, At, At.AddMinutes(20)), rider);
        var reply = new Reply(replyFor ?? request.Payload.PayloadId, Hash32.Random(), 25_000_000, "lnbcrt250u1p" + new string('q', 200),
            Bytes.Copy(new byte[300]), Bytes.Copy(new byte[900]));
        return new ReplyPurchase(request, replyKey ?? key, reply);
    }

    private static void AssertSamePurchase(ReplyPurchase expected, ReplyPurchase actual)
    {
        Assert.Equal(SignedRequestCodec.Encode(expected.Request), SignedRequestCodec.Encode(actual.Request));
        Assert.Equal(expected.ReplyKey.ToBytes(), actual.ReplyKey.ToBytes());
        Assert.Equal(expected.Reply, actual.Reply);
    }

    /// <summary>
    /// A member whose book runs on another member buys a reply: the PayInvoice carrying the purchase goes to the book, and
    /// the book's ReplyPaid comes back to the member's node (before, both were refused at serialization: the reply was
    /// paid and never opened).
    /// </summary>
    [Fact]
    public void A_bought_reply_and_its_payment_cross_members_with_request_key_and_reply_intact()
    {
        var purchase = Purchase();
        var terms = new PaymentTerms(ExactAmountMsat: 25_000_000, Payee: Payee, PayableUntil: At);
        var pay = (PayInvoice)RoundTrip(new PayInvoice("lnbcrt250u1p", terms, purchase));
        Assert.Equal("lnbcrt250u1p", pay.PaymentRequest);
        Assert.Equal(terms, pay.Terms);
        AssertSamePurchase(purchase, pay.Purchase!);

        var preimage = Hash32.Random();
        var paid = (ReplyPaid)RoundTrip(new ReplyPaid(purchase, preimage, 25_002_000, AlreadyDelivered: true));
        AssertSamePurchase(purchase, paid.Purchase);
        Assert.Equal(preimage, paid.Preimage);
        Assert.Equal(25_002_000ul, paid.PaidMsat);
        Assert.True(paid.AlreadyDelivered);
    }

    [Fact]
    public void A_bought_reply_whose_key_is_not_the_requests_reply_key_is_refused()
    {
        var bytes = Serializer.ToBinary(new ReplyPaid(Purchase(replyKey: PrivateKey.Generate()), Hash32.Random(), 1));
        Assert.Contains("the reply key is not the one the request names", Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes, "reply-paid")).Message);
    }

    [Fact]
    public void A_bought_reply_for_another_payload_is_refused()
    {
        var bytes = Serializer.ToBinary(new PayInvoice("lnbcrt1", null, Purchase(replyFor: PayloadId.New())));
        Assert.Contains("the reply is for payload", Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes, "pay-invoice")).Message);
    }

    [Fact]
    public void A_bought_reply_whose_frame_is_not_a_reply_or_not_a_frame_is_refused()
    {
        var purchase = Purchase();
        var request = SignedRequestCodec.Encode(purchase.Request);
        byte[] Forged(byte[] frame) =>
        [
            .. BitConverter.GetBytes(request.Length), .. request, .. BitConverter.GetBytes(32), .. purchase.ReplyKey.ToBytes(),
            .. BitConverter.GetBytes(frame.Length), .. frame, .. new byte[32], .. BitConverter.GetBytes(1ul), 0,
        ];
        var notReply = Forged(FrameCodec.Encode(new ThankYou(purchase.Request.Payload.PayloadId, Hash32.Random())));
        Assert.Contains("is not a Reply", Assert.Throws<SerializationException>(() => Serializer.FromBinary(notReply, "reply-paid")).Message);
        var garbage = Forged([0xFF, 0x01, 0x02]);
        Assert.Contains("bought reply:", Assert.Throws<SerializationException>(() => Serializer.FromBinary(garbage, "reply-paid")).Message);
    }

    [Fact]
    public void A_bought_reply_with_a_length_past_its_bound_or_an_oversized_purchase_is_refused_before_allocating()
    {
        var huge = Assert.Throws<SerializationException>(() => Serializer.FromBinary(BitConverter.GetBytes(int.MaxValue), "reply-paid"));
        Assert.Contains("signed request is 2147483647 bytes", huge.Message);
        var key = Serializer.ToBinary(new ReplyPaid(Purchase(), Hash32.Random(), 1));
        var requestLength = BitConverter.ToInt32(key, 0);
        BitConverter.GetBytes(33).CopyTo(key, 4 + requestLength); // the reply key's length: a private key is 32 bytes
        Assert.Contains("reply key is 33 bytes", Assert.Throws<SerializationException>(() => Serializer.FromBinary(key, "reply-paid")).Message);
        var oversized = Assert.Throws<SerializationException>(() => Serializer.FromBinary(new byte[SettlementMessageSerializer.MaxPurchaseMessageBytes + 1], "pay-invoice"));
        Assert.Contains("above the", oversized.Message);
        // Other settlement messages keep their smaller bound.
        Assert.Contains("above the", Assert.Throws<SerializationException>(() => Serializer.FromBinary(new byte[SettlementMessageSerializer.MaxMessageBytes + 1], "settle-invoice")).Message);
    }

    [Fact]
    public void A_truncated_or_padded_reply_payment_is_refused()
    {
        var bytes = Serializer.ToBinary(new ReplyPaid(Purchase(), Hash32.Random(), 7));
        Assert.Contains("left", Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes[..^1], "reply-paid")).Message);
        Assert.Contains("after the last field", Assert.Throws<SerializationException>(() => Serializer.FromBinary([.. bytes, 0], "reply-paid")).Message);
    }

    [Fact]
    public void A_manifest_naming_a_type_to_load_is_refused()
    {
        var e = Assert.Throws<SerializationException>(() => Serializer.FromBinary([], "System.Diagnostics.Process, System"));
        Assert.Contains("not on the allow-list", e.Message);
    }

    [Fact]
    public void An_oversized_settlement_message_is_refused_before_parsing()
    {
        var e = Assert.Throws<SerializationException>(() => Serializer.FromBinary(new byte[SettlementMessageSerializer.MaxMessageBytes + 1], "decode-invoice"));
        Assert.Contains("above the", e.Message);
    }

    [Fact]
    public void A_length_prefix_past_its_bound_is_refused_before_allocating()
    {
        var bytes = BitConverter.GetBytes(int.MaxValue);
        var e = Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes, "decode-invoice"));
        Assert.Contains("payment request is 2147483647 bytes", e.Message);
    }

    [Fact]
    public void A_truncated_or_padded_settlement_message_is_refused()
    {
        var bytes = Serializer.ToBinary(new InvoiceIssued(Invoice));
        Assert.Contains("left", Assert.Throws<SerializationException>(() => Serializer.FromBinary(bytes[..^1], "invoice-issued")).Message);
        Assert.Contains("after the last field", Assert.Throws<SerializationException>(() => Serializer.FromBinary([.. bytes, 0], "invoice-issued")).Message);
    }

    [Fact]
    public void An_undefined_refusal_or_a_payment_with_both_outcomes_is_refused()
    {
        var rejected = Serializer.ToBinary(new SettlementRejected("x", SettlementRefusal.Busy, "y"));
        rejected[5] = 0xFF; // the reason's low byte, after the command's 4-byte length and its one character
        Assert.Contains("is not a SettlementRefusal", Assert.Throws<SerializationException>(() => Serializer.FromBinary(rejected, "settlement-rejected")).Message);

        var success = PaymentResult.Success(Hash32.Random(), 5, 1, Hash32.Random());
        var forged = Serializer.ToBinary(new PaymentCompleted(success with { FailureReason = PaymentFailureReason.PayeeCancelled, FailureMessage = "no" }));
        Assert.Contains("the other outcome's fields", Assert.Throws<SerializationException>(() => Serializer.FromBinary(forged, "payment-completed")).Message);
    }
}
