using SweetGossip.Lightning.Port;
using static SweetGossip.Lightning.Tests.Embedded.LightningTestKit;

namespace SweetGossip.Lightning.Tests.Embedded;

/// <summary>Every transition of Open → Accepted → Settled | Cancelled, legal and illegal.</summary>
public sealed class HoldInvoiceStateMachineTests : IDisposable
{
    private readonly LightningTestKit _kit = new();

    public void Dispose()
    {
        _kit.AssertConserved();
        _kit.Dispose();
    }

    [Fact]
    public async Task Add_creates_an_open_invoice()
    {
        var payee = _kit.Node();
        var (_, hash) = NewSecret(1);
        var invoice = await payee.AddHoldInvoiceAsync(hash, 5_000, "a ride", TimeSpan.FromMinutes(10), 40);

        Assert.Equal(hash, invoice.PaymentHash);
        Assert.Equal(5_000UL, invoice.AmountMsat);
        Assert.Equal(_kit.Clock.GetUtcNow(), invoice.CreatedAt);
        Assert.Equal(_kit.Clock.GetUtcNow().AddMinutes(10), invoice.ExpiresAt);
        Assert.Equal(40, invoice.CltvExpiryDelta);
        Assert.Equal(payee.NodeId, invoice.Payee);

        var status = await payee.LookupInvoiceAsync(hash);
        Assert.Equal(InvoiceState.Open, status.State);
        Assert.Equal("a ride", status.Memo);
        Assert.Equal(invoice.PaymentRequest, status.PaymentRequest);
        Assert.Equal(0UL, status.AmountPaidMsat);
        Assert.Null(status.AcceptedAt);
        Assert.Null(status.Preimage);
    }

    [Fact]
    public async Task Open_to_accepted_by_payment_locks_the_payers_funds()
    {
        var (payer, payee) = (_kit.Node(10_000), _kit.Node(0));
        var (_, hash) = NewSecret(1);
        var invoice = await Invoice(payee, hash, 3_000, cltvExpiryDelta: 18);

        var payment = payer.PayAsync(invoice.PaymentRequest);

        Assert.False(payment.IsCompleted); // a hold invoice: nothing is final until the payee decides
        var status = await payee.LookupInvoiceAsync(hash);
        Assert.Equal(InvoiceState.Accepted, status.State);
        Assert.Equal(3_000UL, status.AmountPaidMsat);
        Assert.Equal(_kit.Clock.GetUtcNow(), status.AcceptedAt);
        Assert.Equal(_kit.Clock.GetUtcNow() + 18 * Block, status.HtlcExpiresAt);
        Assert.Equal(new LightningBalance(7_000, 3_000, 0), payer.Balance);
        Assert.Equal(new LightningBalance(0, 0, 3_000), payee.Balance);
    }

    [Fact]
    public async Task Accepted_to_settled_pays_the_payee_and_returns_the_preimage()
    {
        var (payer, payee) = (_kit.Node(10_000), _kit.Node(0));
        var (preimage, hash) = NewSecret(1);
        var invoice = await Invoice(payee, hash, 3_000);
        var payment = payer.PayAsync(invoice.PaymentRequest);

        _kit.Clock.Advance(TimeSpan.FromSeconds(5));
        await payee.SettleInvoiceAsync(preimage);

        var result = await payment;
        Assert.True(result.Succeeded);
        Assert.Equal(preimage, result.Preimage);
        Assert.Equal(hash, result.PaymentHash);
        Assert.Equal(3_000UL, result.AmountMsat);
        Assert.Equal(0UL, result.FeeMsat);
        var status = await payee.LookupInvoiceAsync(hash);
        Assert.Equal(InvoiceState.Settled, status.State);
        Assert.Equal(preimage, status.Preimage);
        Assert.Equal(_kit.Clock.GetUtcNow(), status.SettledAt);
        Assert.Equal(new LightningBalance(7_000, 0, 0), payer.Balance);
        Assert.Equal(new LightningBalance(3_000, 0, 0), payee.Balance);
    }

    [Fact]
    public async Task Open_to_cancelled_by_the_payee()
    {
        var (payer, payee) = (_kit.Node(10_000), _kit.Node(0));
        var (_, hash) = NewSecret(1);
        var invoice = await Invoice(payee, hash);

        await payee.CancelInvoiceAsync(hash);

        var status = await payee.LookupInvoiceAsync(hash);
        Assert.Equal(InvoiceState.Cancelled, status.State);
        Assert.Equal(InvoiceCancelReason.CancelledByPayee, status.CancelReason);
        var result = await payer.PayAsync(invoice.PaymentRequest);
        Assert.Equal(PaymentFailureReason.PayeeCancelled, result.FailureReason);
        Assert.Equal(10_000UL, payer.Balance.AvailableMsat);
    }

    [Fact]
    public async Task Accepted_to_cancelled_by_the_payee_refunds_the_payer()
    {
        var (payer, payee) = (_kit.Node(10_000), _kit.Node(0));
        var (_, hash) = NewSecret(1);
        var invoice = await Invoice(payee, hash, 4_000);
        var payment = payer.PayAsync(invoice.PaymentRequest);

        await payee.CancelInvoiceAsync(hash);

        var result = await payment;
        Assert.False(result.Succeeded);
        Assert.Equal(PaymentFailureReason.PayeeCancelled, result.FailureReason);
        Assert.Null(result.Preimage);
        Assert.Equal(InvoiceCancelReason.CancelledByPayee, (await payee.LookupInvoiceAsync(hash)).CancelReason);
        Assert.Equal(new LightningBalance(10_000, 0, 0), payer.Balance);
        Assert.Equal(new LightningBalance(0, 0, 0), payee.Balance);
    }

    [Fact]
    public async Task Open_to_cancelled_by_expiry_at_exactly_the_expiry_time()
    {
        var payee = _kit.Node();
        var (_, hash) = NewSecret(1);
        var invoice = await Invoice(payee, hash, expiry: TimeSpan.FromMinutes(10));

        _kit.Clock.AdvanceTo(invoice.ExpiresAt - TimeSpan.FromTicks(1));
        Assert.Equal(0, _kit.Network.ExpireDue());
        Assert.Equal(InvoiceState.Open, (await payee.LookupInvoiceAsync(hash)).State);

        _kit.Clock.AdvanceTo(invoice.ExpiresAt);
        Assert.Equal(1, _kit.Network.ExpireDue());
        var status = await payee.LookupInvoiceAsync(hash);
        Assert.Equal(InvoiceState.Cancelled, status.State);
        Assert.Equal(InvoiceCancelReason.Expired, status.CancelReason);
        Assert.Equal(invoice.ExpiresAt, status.CancelledAt);
    }

    [Fact]
    public async Task Paying_an_expired_invoice_fails_even_before_ExpireDue_runs()
    {
        var (payer, payee) = (_kit.Node(10_000), _kit.Node(0));
        var (_, hash) = NewSecret(1);
        var invoice = await Invoice(payee, hash, expiry: TimeSpan.FromMinutes(10));
        _kit.Clock.Advance(TimeSpan.FromMinutes(10));

        var result = await payer.PayAsync(invoice.PaymentRequest);

        Assert.Equal(PaymentFailureReason.InvoiceExpired, result.FailureReason);
        Assert.Equal(InvoiceCancelReason.Expired, (await payee.LookupInvoiceAsync(hash)).CancelReason);
        Assert.Equal(10_000UL, payer.Balance.AvailableMsat);
    }

    [Fact]
    public async Task Accepted_to_cancelled_when_the_hold_times_out()
    {
        var (payer, payee) = (_kit.Node(10_000), _kit.Node(0));
        var (preimage, hash) = NewSecret(1);
        var invoice = await Invoice(payee, hash, 2_000, expiry: TimeSpan.FromMinutes(10), cltvExpiryDelta: 6);
        var payment = payer.PayAsync(invoice.PaymentRequest);

        // The invoice's own expiry no longer matters once it is accepted: the HTLC timeout does.
        _kit.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(0, _kit.Network.ExpireDue());
        Assert.False(payment.IsCompleted);

        _kit.Clock.Advance(TimeSpan.FromMinutes(30)); // 6 blocks of 10 minutes after acceptance
        Assert.Equal(1, _kit.Network.ExpireDue());

        var result = await payment;
        Assert.Equal(PaymentFailureReason.HoldExpired, result.FailureReason);
        var status = await payee.LookupInvoiceAsync(hash);
        Assert.Equal(InvoiceCancelReason.HoldExpired, status.CancelReason);
        Assert.Equal(new LightningBalance(10_000, 0, 0), payer.Balance);
        var e = await ThrowsLightning(LightningErrorCode.InvoiceCancelled, () => payee.SettleInvoiceAsync(preimage));
        Assert.Contains("HoldExpired", e.Message);
    }

    [Fact]
    public async Task Settling_after_the_hold_timed_out_fails_even_before_ExpireDue_runs()
    {
        var (payer, payee) = (_kit.Node(10_000), _kit.Node(0));
        var (preimage, hash) = NewSecret(1);
        var invoice = await Invoice(payee, hash, 2_000, cltvExpiryDelta: 1);
        var payment = payer.PayAsync(invoice.PaymentRequest);
        _kit.Clock.Advance(Block);

        await ThrowsLightning(LightningErrorCode.InvoiceCancelled, () => payee.SettleInvoiceAsync(preimage));

        Assert.Equal(PaymentFailureReason.HoldExpired, (await payment).FailureReason);
        Assert.Equal(10_000UL, payer.Balance.AvailableMsat);
    }

    [Fact]
    public async Task Cancelling_a_cancelled_invoice_is_a_no_op()
    {
        var payee = _kit.Node();
        var (_, hash) = NewSecret(1);
        await Invoice(payee, hash);
        var updates = new List<InvoiceUpdate>();
        await payee.CancelInvoiceAsync(hash);
        using var _ = payee.SubscribeInvoices(updates.Add);

        await payee.CancelInvoiceAsync(hash);

        Assert.Empty(updates);
        Assert.Equal(InvoiceState.Cancelled, (await payee.LookupInvoiceAsync(hash)).State);
    }

    [Fact]
    public async Task Settling_an_open_invoice_is_refused()
    {
        var payee = _kit.Node();
        var (preimage, hash) = NewSecret(1);
        await Invoice(payee, hash);

        await ThrowsLightning(LightningErrorCode.InvoiceNotAccepted, () => payee.SettleInvoiceAsync(preimage));

        Assert.Equal(InvoiceState.Open, (await payee.LookupInvoiceAsync(hash)).State);
    }

    [Fact]
    public async Task Settling_twice_is_refused()
    {
        var (payer, payee) = (_kit.Node(), _kit.Node());
        var (preimage, hash) = NewSecret(1);
        var invoice = await Invoice(payee, hash);
        _ = payer.PayAsync(invoice.PaymentRequest);
        await payee.SettleInvoiceAsync(preimage);

        await ThrowsLightning(LightningErrorCode.InvoiceAlreadySettled, () => payee.SettleInvoiceAsync(preimage));

        Assert.Equal(1_001_000UL, payee.Balance.AvailableMsat);
    }

    [Fact]
    public async Task Settling_with_a_wrong_preimage_is_refused_and_leaves_the_htlc_held()
    {
        var (payer, payee) = (_kit.Node(), _kit.Node());
        var (preimage, hash) = NewSecret(1);
        var (wrong, _) = NewSecret(2);
        var invoice = await Invoice(payee, hash);
        var payment = payer.PayAsync(invoice.PaymentRequest);

        await ThrowsLightning(LightningErrorCode.NoInvoiceForPreimage, () => payee.SettleInvoiceAsync(wrong));
        await ThrowsLightning(LightningErrorCode.NoInvoiceForPreimage, () => payee.SettleInvoiceAsync(hash)); // the hash is not its own preimage

        Assert.Equal(InvoiceState.Accepted, (await payee.LookupInvoiceAsync(hash)).State);
        Assert.False(payment.IsCompleted);
        await payee.SettleInvoiceAsync(preimage);
        Assert.True((await payment).Succeeded);
    }

    [Fact]
    public async Task Settling_a_cancelled_invoice_is_refused()
    {
        var payee = _kit.Node();
        var (preimage, hash) = NewSecret(1);
        await Invoice(payee, hash);
        await payee.CancelInvoiceAsync(hash);

        var e = await ThrowsLightning(LightningErrorCode.InvoiceCancelled, () => payee.SettleInvoiceAsync(preimage));
        Assert.Contains("CancelledByPayee", e.Message);
    }

    [Fact]
    public async Task Cancelling_a_settled_invoice_is_refused()
    {
        var (payer, payee) = (_kit.Node(), _kit.Node());
        var (preimage, hash) = NewSecret(1);
        var invoice = await Invoice(payee, hash);
        var payment = payer.PayAsync(invoice.PaymentRequest);
        await payee.SettleInvoiceAsync(preimage);

        await ThrowsLightning(LightningErrorCode.InvoiceAlreadySettled, () => payee.CancelInvoiceAsync(hash));

        Assert.Equal(InvoiceState.Settled, (await payee.LookupInvoiceAsync(hash)).State);
        Assert.True((await payment).Succeeded);
    }

    [Fact]
    public async Task Unknown_payment_hashes_are_not_found()
    {
        var payee = _kit.Node();
        var (_, hash) = NewSecret(1);

        await ThrowsLightning(LightningErrorCode.InvoiceNotFound, () => payee.LookupInvoiceAsync(hash));
        await ThrowsLightning(LightningErrorCode.InvoiceNotFound, () => payee.CancelInvoiceAsync(hash));
    }

    [Theory]
    [InlineData(InvoiceState.Open)]
    [InlineData(InvoiceState.Accepted)]
    [InlineData(InvoiceState.Settled)]
    [InlineData(InvoiceState.Cancelled)]
    public async Task A_payment_hash_cannot_be_reused_on_the_same_node_in_any_state(InvoiceState state)
    {
        var (payer, payee) = (_kit.Node(), _kit.Node());
        var (preimage, hash) = NewSecret(1);
        var invoice = await Invoice(payee, hash);
        if (state is InvoiceState.Accepted or InvoiceState.Settled)
        {
            _ = payer.PayAsync(invoice.PaymentRequest);
        }

        if (state == InvoiceState.Settled)
        {
            await payee.SettleInvoiceAsync(preimage);
        }

        if (state == InvoiceState.Cancelled)
        {
            await payee.CancelInvoiceAsync(hash);
        }

        Assert.Equal(state, (await payee.LookupInvoiceAsync(hash)).State);
        await ThrowsLightning(LightningErrorCode.DuplicatePaymentHash, () => Invoice(payee, hash, 7));
        if (state == InvoiceState.Accepted)
        {
            await payee.CancelInvoiceAsync(hash);
        }
    }

    [Fact]
    public async Task The_same_payment_hash_may_be_used_by_different_nodes()
    {
        // The reply payment chain relies on it: every hop holds an invoice under the replier's hash.
        var (a, b) = (_kit.Node(), _kit.Node());
        var (_, hash) = NewSecret(1);

        var first = await Invoice(a, hash, 1_000);
        var second = await Invoice(b, hash, 1_100);

        Assert.NotEqual(first.PaymentRequest, second.PaymentRequest);
        Assert.Equal(1_000UL, (await a.LookupInvoiceAsync(hash)).AmountMsat);
        Assert.Equal(1_100UL, (await b.LookupInvoiceAsync(hash)).AmountMsat);
    }

    public static TheoryData<ulong, double, int, int> InvalidArguments => new()
    {
        { 0, 60, 18, 0 },        // zero amount
        { 1_000, 0, 18, 0 },     // zero expiry
        { 1_000, -1, 18, 0 },    // negative expiry
        { 1_000, 60, 0, 0 },     // zero cltv delta
        { 1_000, 60, 2017, 0 },  // cltv delta above the maximum
        { 1_000, 60, 18, 640 },  // memo longer than a BOLT 11 description
    };

    [Theory]
    [MemberData(nameof(InvalidArguments))]
    public async Task Invalid_invoice_arguments_are_refused(ulong amountMsat, double expirySeconds, int cltvExpiryDelta, int memoLength)
    {
        var payee = _kit.Node();
        var (_, hash) = NewSecret(1);

        await ThrowsLightning(
            LightningErrorCode.InvalidArgument,
            () => payee.AddHoldInvoiceAsync(hash, amountMsat, new string('m', memoLength), TimeSpan.FromSeconds(expirySeconds), cltvExpiryDelta));

        await ThrowsLightning(LightningErrorCode.InvoiceNotFound, () => payee.LookupInvoiceAsync(hash));
    }
}
