using SweetGossip.Lightning.Chain;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Lightning.Tests.Embedded;
using SweetGossip.Protocol.Primitives;
using static SweetGossip.Lightning.Tests.Embedded.LightningTestKit;

namespace SweetGossip.Lightning.Tests.Chain;

/// <summary>
/// The reply payment chain: originator → M1 → M2 → M3 → replier, every hop a hold invoice under the
/// replier's payment hash, each middleman adding its fee.
/// </summary>
public sealed class PaymentChainTests : IDisposable
{
    private const ulong Start = 1_000_000;
    private const ulong Price = 50_000;
    private static readonly ulong[] Fees = [100, 200, 300]; // M1, M2, M3
    private static readonly TimeSpan InvoiceLife = TimeSpan.FromMinutes(10);
    private const int ReplierCltv = 18;

    private readonly LightningTestKit _kit = new();
    private readonly PaymentRelayPolicy _policy;
    private readonly EmbeddedLightningNode _originator;
    private readonly EmbeddedLightningNode[] _middlemen;
    private readonly EmbeddedLightningNode _replier;

    public PaymentChainTests()
    {
        _policy = new PaymentRelayPolicy { TimeProvider = _kit.Clock, BlockInterval = Block };
        _originator = _kit.Node(Start);
        _middlemen = [_kit.Node(Start), _kit.Node(Start), _kit.Node(Start)];
        _replier = _kit.Node(Start);
    }

    public void Dispose()
    {
        _kit.AssertConserved();
        _kit.Dispose();
    }

    /// <summary>Builds the chain from the replier upwards, as the reply travels back.</summary>
    private async Task<(ReplierInvoice Replier, MiddlemanPaymentRelay[] Relays)> BuildChain(
        bool replierSettles = true, ILightningNode[]? middlemen = null, PaymentRelayPolicy? policy = null)
    {
        middlemen ??= _middlemen;
        var replier = await ReplierInvoice.IssueAsync(_replier, Price, "reply", InvoiceLife, ReplierCltv, replierSettles);
        var relays = new MiddlemanPaymentRelay[3];
        var downstream = replier.Invoice.PaymentRequest;
        for (var i = 2; i >= 0; i--)
        {
            _kit.Clock.Advance(TimeSpan.FromSeconds(1)); // the reply takes a moment per hop
            relays[i] = await MiddlemanPaymentRelay.StartAsync(middlemen[i], downstream, new RelayTerms(Fees[i], InvoiceLife), policy ?? _policy);
            downstream = relays[i].UpstreamInvoice.PaymentRequest;
        }

        return (replier, relays);
    }

    private Task<PaymentResult> OriginatorPays(ReplierInvoice replier, MiddlemanPaymentRelay top) =>
        OriginatorPayment.PayReplyAsync(_originator, top.UpstreamInvoice.PaymentRequest, replier.PaymentHash, Price + 600);

    private void AssertBalances(long originator, long m1, long m2, long m3, long replier)
    {
        Assert.Equal(new LightningBalance((ulong)((long)Start + originator), 0, 0), _originator.Balance);
        Assert.Equal(new LightningBalance((ulong)((long)Start + m1), 0, 0), _middlemen[0].Balance);
        Assert.Equal(new LightningBalance((ulong)((long)Start + m2), 0, 0), _middlemen[1].Balance);
        Assert.Equal(new LightningBalance((ulong)((long)Start + m3), 0, 0), _middlemen[2].Balance);
        Assert.Equal(new LightningBalance((ulong)((long)Start + replier), 0, 0), _replier.Balance);
    }

    [Fact]
    public async Task Every_middleman_earns_its_fee_and_the_replier_its_price()
    {
        var (replier, relays) = await BuildChain();

        // Amounts add up, and deadlines shrink towards the replier.
        Assert.Equal([Price + 600, Price + 500, Price + 300], relays.Select(r => r.UpstreamInvoice.AmountMsat));
        Assert.Equal([ReplierCltv + 120, ReplierCltv + 80, ReplierCltv + 40], relays.Select(r => r.UpstreamInvoice.CltvExpiryDelta));
        Assert.All(relays, r => Assert.Equal(replier.PaymentHash, r.UpstreamInvoice.PaymentHash));
        Assert.True(relays[2].UpstreamInvoice.ExpiresAt <= replier.Invoice.ExpiresAt);
        Assert.True(relays[1].UpstreamInvoice.ExpiresAt <= relays[2].UpstreamInvoice.ExpiresAt);
        Assert.True(relays[0].UpstreamInvoice.ExpiresAt <= relays[1].UpstreamInvoice.ExpiresAt);
        Assert.All(relays, r => Assert.Equal(RelayState.AwaitingUpstreamPayment, r.State));

        var result = await OriginatorPays(replier, relays[0]);

        Assert.True(result.Succeeded);
        Assert.Equal(replier.Preimage, result.Preimage);
        Assert.Equal(Price + 600, result.AmountMsat);
        foreach (var relay in relays)
        {
            var outcome = await relay.Completion;
            Assert.Equal(RelayState.Settled, outcome.State);
            Assert.Equal(replier.Preimage, outcome.DownstreamPayment!.Preimage);
        }

        Assert.Equal(InvoiceState.Settled, (await replier.Completion).State);
        AssertBalances(originator: -(long)(Price + 600), m1: 100, m2: 200, m3: 300, replier: (long)Price);
    }

    [Fact]
    public async Task The_whole_chain_resolves_inline_within_the_originators_call_even_under_a_synchronization_context()
    {
        var (_, relays) = await BuildChain();
        var context = new CountingContext();
        var previous = SynchronizationContext.Current;
        Task<PaymentResult> payment;
        SynchronizationContext.SetSynchronizationContext(context);
        try
        {
            payment = _originator.PayAsync(relays[0].UpstreamInvoice.PaymentRequest);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        // Deterministic: nothing was handed to another thread or context; all done before PayAsync returned.
        Assert.True(payment.IsCompletedSuccessfully);
        Assert.All(relays, r => Assert.Equal(RelayState.Settled, r.State));
        Assert.All(relays, r => Assert.True(r.Completion.IsCompletedSuccessfully));
        Assert.Equal(0, context.Posts);
        AssertBalances(-(long)(Price + 600), 100, 200, 300, (long)Price);
    }

    private sealed class CountingContext : SynchronizationContext
    {
        public int Posts;

        public override void Post(SendOrPostCallback d, object? state)
        {
            Interlocked.Increment(ref Posts);
            base.Post(d, state);
        }
    }

    [Fact]
    public async Task If_the_originator_never_pays_every_invoice_expires_and_no_balance_changes()
    {
        var (replier, relays) = await BuildChain();

        _kit.Clock.Advance(InvoiceLife);
        _kit.Network.ExpireDue();

        foreach (var relay in relays)
        {
            var outcome = await relay.Completion;
            Assert.Equal(RelayState.Refunded, outcome.State);
            Assert.Null(outcome.DownstreamPayment);
            var downstream = await FindNode(relay.Downstream.Payee).LookupInvoiceAsync(replier.PaymentHash);
            Assert.Equal(InvoiceCancelReason.Expired, downstream.CancelReason);
        }

        Assert.Equal(InvoiceCancelReason.Expired, (await replier.Completion).CancelReason);
        Assert.Equal(0, _kit.Network.Ledger.PendingInvoiceCount);
        AssertBalances(0, 0, 0, 0, 0);
    }

    [Fact]
    public async Task If_the_replier_never_settles_the_holds_expire_and_everyone_is_refunded()
    {
        var (replier, relays) = await BuildChain(replierSettles: false);

        var payment = OriginatorPays(replier, relays[0]);

        // Every hop is held: money locked along the whole chain, nothing final.
        Assert.False(payment.IsCompleted);
        Assert.All(relays, r => Assert.Equal(RelayState.PayingDownstream, r.State));
        Assert.Equal(new LightningBalance(Start - Price - 600, Price + 600, 0), _originator.Balance);
        Assert.Equal(new LightningBalance(Start - Price - 500, Price + 500, Price + 600), _middlemen[0].Balance);
        Assert.Equal(new LightningBalance(Start, 0, Price), _replier.Balance);

        // Just before the replier's hold times out nothing moves; at the timeout the refunds ripple up.
        _kit.Clock.Advance(ReplierCltv * Block - TimeSpan.FromSeconds(1));
        _kit.Network.ExpireDue();
        Assert.False(payment.IsCompleted);
        _kit.Clock.Advance(TimeSpan.FromSeconds(1));
        _kit.Network.ExpireDue();

        var result = await payment;
        Assert.False(result.Succeeded);
        Assert.Equal(PaymentFailureReason.PayeeCancelled, result.FailureReason); // M1 cancelled its invoice
        Assert.Equal(InvoiceCancelReason.HoldExpired, (await replier.Completion).CancelReason);
        foreach (var relay in relays)
        {
            var outcome = await relay.Completion;
            Assert.Equal(RelayState.Refunded, outcome.State);
            Assert.False(outcome.DownstreamPayment!.Succeeded);
        }

        Assert.Equal(PaymentFailureReason.HoldExpired, (await relays[2].Completion).DownstreamPayment!.FailureReason);
        AssertBalances(0, 0, 0, 0, 0);
    }

    [Fact]
    public async Task A_middleman_never_pays_downstream_before_its_upstream_invoice_is_accepted()
    {
        var recorders = _middlemen.Select(m => new RecordingNode(m)).ToArray();
        var (replier, relays) = await BuildChain(middlemen: recorders);
        _kit.Clock.Advance(TimeSpan.FromMinutes(5));
        _kit.Network.ExpireDue();

        Assert.All(recorders, r => Assert.Empty(r.Payments));
        Assert.All(relays, r => Assert.Equal(RelayState.AwaitingUpstreamPayment, r.State));
        Assert.Equal(InvoiceState.Open, (await _replier.LookupInvoiceAsync(replier.PaymentHash)).State);

        Assert.True((await OriginatorPays(replier, relays[0])).Succeeded);

        for (var i = 0; i < 3; i++)
        {
            var (request, ownState) = Assert.Single(recorders[i].Payments);
            Assert.Equal(InvoiceState.Accepted, ownState);
            Assert.Equal(i < 2 ? relays[i + 1].UpstreamInvoice.PaymentRequest : replier.Invoice.PaymentRequest, request);
        }
    }

    [Fact]
    public async Task A_middleman_whose_upstream_expires_never_pays()
    {
        var recorders = _middlemen.Select(m => new RecordingNode(m)).ToArray();
        var (_, relays) = await BuildChain(middlemen: recorders);

        // M1's invoice expires unpaid; M2 and M3 are then never paid either.
        _kit.Clock.Advance(InvoiceLife);
        _kit.Network.ExpireDue();

        Assert.All(recorders, r => Assert.Empty(r.Payments));
        Assert.All(relays, r => Assert.Equal(RelayState.Refunded, r.State));
        AssertBalances(0, 0, 0, 0, 0);
    }

    [Fact]
    public async Task If_the_replier_cancels_after_acceptance_the_middlemen_cancel_upstream_and_the_originator_is_refunded()
    {
        var (replier, relays) = await BuildChain(replierSettles: false);
        var payment = OriginatorPays(replier, relays[0]);
        Assert.False(payment.IsCompleted);

        await replier.CancelAsync();

        Assert.Equal(PaymentFailureReason.PayeeCancelled, (await payment).FailureReason);
        Assert.All(relays, r => Assert.Equal(RelayState.Refunded, r.State));
        Assert.Contains("PayeeCancelled", (await relays[2].Completion).Reason);
        AssertBalances(0, 0, 0, 0, 0);
    }

    [Fact]
    public async Task The_replier_can_settle_late_but_within_its_hold()
    {
        var (replier, relays) = await BuildChain(replierSettles: false);
        var payment = OriginatorPays(replier, relays[0]);

        _kit.Clock.Advance(ReplierCltv * Block - TimeSpan.FromSeconds(1));
        _kit.Network.ExpireDue();
        await replier.SettleAsync();

        Assert.True((await payment).Succeeded);
        Assert.All(relays, r => Assert.Equal(RelayState.Settled, r.State));
        AssertBalances(-(long)(Price + 600), 100, 200, 300, (long)Price);
    }

    [Theory]
    [InlineData(ReplierCltv)]          // same timeout: settled downstream at the last moment, upstream already gone
    [InlineData(ReplierCltv - 1)]      // downstream outlives upstream
    [InlineData(ReplierCltv + 11)]     // shorter, but by less than the 12-block margin
    public async Task A_relay_whose_downstream_hold_is_not_shorter_is_refused(int upstreamCltv)
    {
        var replier = await ReplierInvoice.IssueAsync(_replier, Price, "reply", InvoiceLife, ReplierCltv);

        var e = await Assert.ThrowsAsync<RelayRefusedException>(() => MiddlemanPaymentRelay.StartAsync(
            _middlemen[2], replier.Invoice.PaymentRequest, new RelayTerms(300, InvoiceLife, upstreamCltv), _policy));

        Assert.Equal(RelayRefusalReason.DownstreamHoldNotShorter, e.Reason);
        await ThrowsLightning(LightningErrorCode.InvoiceNotFound, () => _middlemen[2].LookupInvoiceAsync(replier.PaymentHash));
        await replier.CancelAsync();
    }

    [Fact]
    public async Task A_relay_with_exactly_the_margin_is_accepted()
    {
        var replier = await ReplierInvoice.IssueAsync(_replier, Price, "reply", InvoiceLife, ReplierCltv);

        var relay = await MiddlemanPaymentRelay.StartAsync(
            _middlemen[2], replier.Invoice.PaymentRequest, new RelayTerms(300, InvoiceLife, ReplierCltv + 12), _policy);

        Assert.Equal(ReplierCltv + 12, relay.UpstreamInvoice.CltvExpiryDelta);
        var result = await OriginatorPayment.PayReplyAsync(_originator, relay.UpstreamInvoice.PaymentRequest, replier.PaymentHash, Price + 300);
        Assert.True(result.Succeeded);
        Assert.Equal(RelayState.Settled, (await relay.Completion).State);
    }

    [Fact]
    public async Task Other_refusals()
    {
        var replier = await ReplierInvoice.IssueAsync(_replier, Price, "reply", InvoiceLife, ReplierCltv);
        var request = replier.Invoice.PaymentRequest;
        var m = _middlemen[2];

        async Task<RelayRefusalReason> Refusal(string downstream, RelayTerms terms, PaymentRelayPolicy? policy = null) =>
            (await Assert.ThrowsAsync<RelayRefusedException>(() => MiddlemanPaymentRelay.StartAsync(m, downstream, terms, policy ?? _policy))).Reason;

        Assert.Equal(RelayRefusalReason.InvalidDownstreamInvoice, await Refusal("lnbcrt1garbage", new RelayTerms(1, InvoiceLife)));
        Assert.Equal(RelayRefusalReason.AmountOverflow, await Refusal(request, new RelayTerms(ulong.MaxValue, InvoiceLife)));
        Assert.Equal(RelayRefusalReason.CltvTooLarge, await Refusal(request, new RelayTerms(1, InvoiceLife, 2017)));

        var relay = await MiddlemanPaymentRelay.StartAsync(m, request, new RelayTerms(1, InvoiceLife), _policy);
        Assert.Equal(RelayRefusalReason.AlreadyRelaying, await Refusal(request, new RelayTerms(1, InvoiceLife)));
        Assert.Equal(RelayState.AwaitingUpstreamPayment, relay.State); // the refusal did not disturb the first relay

        _kit.Clock.AdvanceTo(replier.Invoice.ExpiresAt - TimeSpan.FromSeconds(9));
        Assert.Equal(RelayRefusalReason.DownstreamExpiresTooSoon, await Refusal(request, new RelayTerms(1, InvoiceLife), _policy));
        await replier.CancelAsync();
    }

    [Fact]
    public async Task The_upstream_invoice_never_outlives_the_downstream_one()
    {
        var replier = await ReplierInvoice.IssueAsync(_replier, Price, "reply", InvoiceLife, ReplierCltv);
        _kit.Clock.Advance(TimeSpan.FromSeconds(200.5));

        var relay = await MiddlemanPaymentRelay.StartAsync(
            _middlemen[2], replier.Invoice.PaymentRequest, new RelayTerms(300, TimeSpan.FromHours(1)), _policy);

        Assert.True(relay.UpstreamInvoice.ExpiresAt <= replier.Invoice.ExpiresAt);
        Assert.True(relay.UpstreamInvoice.ExpiresAt >= replier.Invoice.ExpiresAt - TimeSpan.FromSeconds(2));
        await relay.AbandonAsync();
        Assert.Equal(RelayState.Refunded, (await relay.Completion).State);
        await replier.CancelAsync();
    }

    [Fact]
    public async Task A_relay_whose_clock_says_it_is_too_late_cancels_upstream_instead_of_paying()
    {
        // A policy that believes blocks are twice as long as the network's: at acceptance time it finds that
        // the downstream HTLC could outlive its own, so it refunds rather than pays.
        var slow = _policy with { BlockInterval = 2 * Block };
        var replier = await ReplierInvoice.IssueAsync(_replier, Price, "reply", InvoiceLife, ReplierCltv);
        var relay = await MiddlemanPaymentRelay.StartAsync(_middlemen[2], replier.Invoice.PaymentRequest, new RelayTerms(300, InvoiceLife), slow);

        var result = await OriginatorPayment.PayReplyAsync(_originator, relay.UpstreamInvoice.PaymentRequest, replier.PaymentHash, Price + 300);

        Assert.Equal(PaymentFailureReason.PayeeCancelled, result.FailureReason);
        var outcome = await relay.Completion;
        Assert.Equal(RelayState.Refunded, outcome.State);
        Assert.Contains("too late", outcome.Reason);
        Assert.Equal(InvoiceState.Open, (await _replier.LookupInvoiceAsync(replier.PaymentHash)).State);
        await replier.CancelAsync();
        AssertBalances(0, 0, 0, 0, 0);
    }

    [Fact]
    public async Task Without_the_deadline_rule_a_middleman_can_pay_downstream_and_lose_its_upstream_payment()
    {
        // Why the rule exists: a (misconfigured) policy that lets the upstream HTLC time out before the
        // downstream one. The replier settles after the middleman's incoming HTLC is gone: it paid, unpaid.
        var reckless = _policy with { MinCltvDeltaMargin = -100 };
        var replier = await ReplierInvoice.IssueAsync(_replier, Price, "reply", InvoiceLife, ReplierCltv, settleOnAccept: false);
        var relay = await MiddlemanPaymentRelay.StartAsync(
            _middlemen[2], replier.Invoice.PaymentRequest, new RelayTerms(300, InvoiceLife, ReplierCltv - 10), reckless);
        var payment = OriginatorPayment.PayReplyAsync(_originator, relay.UpstreamInvoice.PaymentRequest, replier.PaymentHash, Price + 300);

        _kit.Clock.Advance((ReplierCltv - 10) * Block);
        _kit.Network.ExpireDue(); // the middleman's incoming HTLC times out: the originator is refunded
        Assert.Equal(PaymentFailureReason.HoldExpired, (await payment).FailureReason);
        await replier.SettleAsync(); // still within the replier's own, longer hold

        var outcome = await relay.Completion;
        Assert.Equal(RelayState.Failed, outcome.State);
        Assert.Contains("could not settle upstream", outcome.Reason);
        AssertBalances(0, 0, 0, -(long)Price, (long)Price);
    }

    [Fact]
    public async Task The_originator_refuses_an_invoice_that_does_not_match_the_replier_commitment()
    {
        var (replier, relays) = await BuildChain();
        var top = relays[0].UpstreamInvoice.PaymentRequest;

        var wrongHash = await OriginatorPayment.PayReplyAsync(_originator, top, Hash32.Random(), ulong.MaxValue);
        var tooExpensive = await OriginatorPayment.PayReplyAsync(_originator, top, replier.PaymentHash, Price + 599);

        Assert.Equal(PaymentFailureReason.InvalidInvoice, wrongHash.FailureReason);
        Assert.Contains("committed", wrongHash.FailureMessage);
        Assert.Equal(PaymentFailureReason.InvalidInvoice, tooExpensive.FailureReason);
        Assert.Equal(InvoiceState.Open, (await _middlemen[0].LookupInvoiceAsync(replier.PaymentHash)).State);
        Assert.True((await OriginatorPays(replier, relays[0])).Succeeded);
    }

    [Fact]
    public async Task The_chain_works_the_same_with_signed_bolt11_invoices()
    {
        using var kit = new LightningTestKit(signInvoices: true);
        var policy = new PaymentRelayPolicy { TimeProvider = kit.Clock, BlockInterval = Block };
        var nodes = Enumerable.Range(0, 5).Select(_ => kit.Node(Start)).ToArray();
        var replier = await ReplierInvoice.IssueAsync(nodes[4], Price, "reply", InvoiceLife, ReplierCltv);
        var downstream = replier.Invoice.PaymentRequest;
        var relays = new List<MiddlemanPaymentRelay>();
        for (var i = 3; i >= 1; i--)
        {
            var relay = await MiddlemanPaymentRelay.StartAsync(nodes[i], downstream, new RelayTerms(Fees[i - 1], InvoiceLife), policy);
            Assert.Equal(nodes[i].NodeId.ToBytes(), SweetGossip.Lightning.Bolt11.Bolt11Codec.Decode(relay.UpstreamInvoice.PaymentRequest).PayeeNodeId);
            relays.Add(relay);
            downstream = relay.UpstreamInvoice.PaymentRequest;
        }

        var result = await OriginatorPayment.PayReplyAsync(nodes[0], downstream, replier.PaymentHash, Price + 600);

        Assert.True(result.Succeeded);
        Assert.All(relays, r => Assert.Equal(RelayState.Settled, r.State));
        Assert.Equal(
            [Start - Price - 600, Start + 100, Start + 200, Start + 300, Start + Price],
            nodes.Select(n => n.Balance.AvailableMsat));
        kit.AssertConserved();
    }

    private EmbeddedLightningNode FindNode(LightningNodeId id) =>
        _kit.Network.TryGetNode(id, out var node) ? node : throw new InvalidOperationException($"no node {id}");
}
