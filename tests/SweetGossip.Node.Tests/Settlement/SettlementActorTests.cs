using Akka.Actor;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Settlement;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Tests.Settlement;

public class SettlementActorTests
{
    private const ulong Sat = 1000;

    [Fact]
    public async Task An_invoice_is_issued_paid_and_settled_once_and_the_journal_says_so()
    {
        await using var h = new SettlementHarness();
        var payee = h.Network.CreateNode(0);
        var payer = h.Network.CreateNode(100_000 * Sat);
        var settlement = h.Settlement("payee", payee);
        var preimage = Hash32.Random();

        var issued = await SettlementHarness.Ask<InvoiceIssued>(settlement, new IssueInvoice(preimage.Sha256(), 5_000 * Sat, "ride", TimeSpan.FromHours(1), 40));
        var accepted = SettlementHarness.WhenInvoice(payee, preimage.Sha256(), InvoiceState.Accepted);
        var payment = payer.PayAsync(issued.Invoice.PaymentRequest);
        await accepted;

        var settled = await SettlementHarness.Ask<object>(settlement, new SettleInvoice(preimage));
        Assert.Equal(new InvoiceSettled(preimage.Sha256(), preimage), settled);
        Assert.True((await payment).Succeeded);

        Assert.Equal(SettlementRefusal.InvoiceAlreadySettled, (await SettlementHarness.Ask<SettlementRejected>(settlement, new SettleInvoice(preimage))).Reason);
        Assert.Equal(SettlementRefusal.InvoiceAlreadySettled, (await SettlementHarness.Ask<SettlementRejected>(settlement, new CancelInvoice(preimage.Sha256()))).Reason);

        await h.CrashAndRestartAsync();
        var recovered = h.Settlement("payee", payee);
        var ledger = await SettlementHarness.Ask<SettlementLedger>(recovered, GetSettlementLedger.Instance);
        Assert.Equal(RecordedInvoiceState.Settled, ledger.Invoice(preimage.Sha256())!.State);
        Assert.Equal(preimage, ledger[preimage.Sha256()]!.KnownPreimage);
        Assert.Equal(SettlementRefusal.InvoiceAlreadySettled, (await SettlementHarness.Ask<SettlementRejected>(recovered, new SettleInvoice(preimage))).Reason);
    }

    [Fact]
    public async Task Settling_with_a_wrong_preimage_or_before_payment_and_reusing_a_hash_are_refused_by_type()
    {
        await using var h = new SettlementHarness();
        var payee = h.Network.CreateNode(0);
        var settlement = h.Settlement("payee", payee);
        var preimage = Hash32.Random();
        await SettlementHarness.Ask<InvoiceIssued>(settlement, new IssueInvoice(preimage.Sha256(), 1_000 * Sat, "x", TimeSpan.FromHours(1), 40));

        Assert.Equal(SettlementRefusal.InvoiceNotAccepted, (await SettlementHarness.Ask<SettlementRejected>(settlement, new SettleInvoice(preimage))).Reason);
        Assert.Equal(SettlementRefusal.UnknownPaymentHash, (await SettlementHarness.Ask<SettlementRejected>(settlement, new SettleInvoice(Hash32.Random()))).Reason);
        Assert.Equal(SettlementRefusal.DuplicatePaymentHash, (await SettlementHarness.Ask<SettlementRejected>(settlement,
            new IssueInvoice(preimage.Sha256(), 1, "again", TimeSpan.FromHours(1), 40))).Reason);
        var wrong = Hash32.Random();
        Assert.Equal(SettlementRefusal.WrongPreimage, (await SettlementHarness.Ask<SettlementRejected>(settlement,
            new IssueInvoice(Hash32.Random(), 1, "mismatch", TimeSpan.FromHours(1), 40, wrong))).Reason);
    }

    [Fact]
    public async Task An_invoice_that_is_not_what_the_payer_was_told_is_never_paid()
    {
        await using var h = new SettlementHarness();
        var peer = h.Network.CreateNode(0);
        var stranger = h.Network.CreateNode(0);
        var payer = h.Network.CreateNode(100_000 * Sat);
        var settlement = h.Settlement("payer", payer);
        var invoice = await peer.AddHoldInvoiceAsync(Hash32.Random().Sha256(), 1_000_000 * Sat, "price 1 msat, they said", TimeSpan.FromMinutes(2), 40);
        var other = await stranger.AddHoldInvoiceAsync(Hash32.Random().Sha256(), 10 * Sat, "someone else's", TimeSpan.FromMinutes(2), 40);

        async Task<SettlementRefusal> Refusal(string request, PaymentTerms terms) =>
            (await SettlementHarness.Ask<SettlementRejected>(settlement, new PayInvoice(request, terms))).Reason;

        Assert.Equal(SettlementRefusal.AmountMismatch, await Refusal(invoice.PaymentRequest, new PaymentTerms(ExactAmountMsat: 1, Payee: peer.NodeId)));
        Assert.Equal(SettlementRefusal.PayeeMismatch, await Refusal(other.PaymentRequest, new PaymentTerms(ExactAmountMsat: 10 * Sat, Payee: peer.NodeId)));
        Assert.Equal(SettlementRefusal.PaymentHashMismatch, await Refusal(invoice.PaymentRequest, new PaymentTerms(PaymentHash: Hash32.Random())));
        Assert.Equal(SettlementRefusal.AmountAboveLimit, await Refusal(invoice.PaymentRequest, new PaymentTerms(MaxAmountMsat: 100 * Sat)));
        Assert.Equal(SettlementRefusal.InvalidInvoice, await Refusal("lnbcrt1garbage", PaymentTerms.Any));
        h.Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(SettlementRefusal.InvoiceExpired, await Refusal(other.PaymentRequest, PaymentTerms.Any));

        Assert.Equal(100_000 * Sat, (await payer.GetBalanceAsync()).AvailableMsat);
        Assert.Empty((await SettlementHarness.Ask<SettlementLedger>(settlement, GetSettlementLedger.Instance)).Entries);
    }

    [Fact]
    public async Task A_payment_hash_is_paid_once()
    {
        await using var h = new SettlementHarness();
        var payee = h.Network.CreateNode(0);
        var payer = h.Network.CreateNode(100_000 * Sat);
        var payeeSettlement = h.Settlement("payee", payee);
        var payerSettlement = h.Settlement("payer", payer);
        var preimage = Hash32.Random();
        var invoice = (await SettlementHarness.Ask<InvoiceIssued>(payeeSettlement, IssueInvoice.Settled(preimage, 7 * Sat, "favour", TimeSpan.FromHours(1), 40))).Invoice;

        var paid = await SettlementHarness.Ask<PaymentCompleted>(payerSettlement, new PayInvoice(invoice.PaymentRequest, new PaymentTerms(ExactAmountMsat: 7 * Sat, Payee: payee.NodeId)));
        Assert.True(paid.Result.Succeeded, paid.Result.ToString());
        Assert.Equal(preimage, paid.Result.Preimage);
        var again = await SettlementHarness.Ask<SettlementRejected>(payerSettlement, new PayInvoice(invoice.PaymentRequest, new PaymentTerms(ExactAmountMsat: 7 * Sat)));
        Assert.Equal(SettlementRefusal.AlreadyPaid, again.Reason);
        Assert.Equal(100_000 * Sat - 7 * Sat, (await payer.GetBalanceAsync()).AvailableMsat);
    }

    [Fact]
    public async Task An_accepted_hold_past_its_deadline_is_cancelled_on_time_even_across_a_restart()
    {
        await using var h = new SettlementHarness();
        var payee = h.Network.CreateNode(0);
        var payer = h.Network.CreateNode(10_000 * Sat);
        var settlement = h.Settlement("payee", payee);
        var hash = Hash32.Random().Sha256();
        var issued = await SettlementHarness.Ask<InvoiceIssued>(settlement, new IssueInvoice(hash, 2_000 * Sat, "x", TimeSpan.FromHours(1), 6));
        var accepted = SettlementHarness.WhenInvoice(payee, hash, InvoiceState.Accepted);
        var payment = payer.PayAsync(issued.Invoice.PaymentRequest);
        var status = await accepted;

        await h.CrashAndRestartAsync();
        var recovered = h.Settlement("payee", payee);
        // Recovery reconciles with Lightning: the acceptance is known even if the crash came before it was journaled.
        await AwaitLedger(recovered, l => l.Invoice(hash)!.State == RecordedInvoiceState.Accepted);
        h.Clock.Advance(status.HtlcExpiresAt!.Value - h.Clock.GetUtcNow());
        var cancelled = SettlementHarness.WhenInvoice(payee, hash, InvoiceState.Cancelled);
        recovered.Tell(SweepExpiredHolds.Instance);
        await cancelled;

        var result = await payment.WaitAsync(SettlementHarness.Timeout);
        Assert.False(result.Succeeded);
        Assert.Equal(10_000 * Sat, (await payer.GetBalanceAsync()).AvailableMsat);
        var ledger = await AwaitLedger(recovered, l => l.Invoice(hash)!.State == RecordedInvoiceState.Cancelled);
        Assert.Equal(CancelReasons.HoldExpired, ledger.Invoice(hash)!.CancelReason);
    }

    [Fact]
    public async Task A_secret_journaled_before_its_invoice_settles_a_payment_that_arrives_while_the_node_is_down()
    {
        await using var h = new SettlementHarness();
        var replier = h.Network.CreateNode(0);
        var payer = h.Network.CreateNode(10_000 * Sat);
        var settlement = h.Settlement("replier", replier);
        var preimage = Hash32.Random();
        var issued = await SettlementHarness.Ask<InvoiceIssued>(settlement, IssueInvoice.Settled(preimage, 3_000 * Sat, "reply", TimeSpan.FromHours(1), 40));

        await h.System.Terminate();
        var accepted = SettlementHarness.WhenInvoice(replier, preimage.Sha256(), InvoiceState.Accepted);
        var payment = payer.PayAsync(issued.Invoice.PaymentRequest);
        await accepted; // held at Lightning; nobody in this process to settle it
        h.StartSystemInto();
        h.Settlement("replier", replier);

        var result = await payment.WaitAsync(SettlementHarness.Timeout);
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(3_000 * Sat, (await replier.GetBalanceAsync()).AvailableMsat);
    }

    [Fact]
    public async Task A_relay_refuses_a_downstream_invoice_whose_deadline_is_not_shorter()
    {
        await using var h = new SettlementHarness();
        var replier = h.Network.CreateNode(0);
        var middleman = h.Network.CreateNode(0);
        var downstream = await replier.AddHoldInvoiceAsync(Hash32.Random().Sha256(), 10 * Sat, "reply", TimeSpan.FromHours(2), 80);
        var relay = h.Settlement("middleman", middleman);
        var refused = await SettlementHarness.Ask<SettlementRejected>(relay, new RelayPayment(downstream.PaymentRequest, new RelayTerms(Sat, TimeSpan.FromHours(1), 85)));
        Assert.Equal(SettlementRefusal.DownstreamHoldNotShorter, refused.Reason);
        var elsewhere = await SettlementHarness.Ask<SettlementRejected>(relay, new RelayPayment(downstream.PaymentRequest, new RelayTerms(Sat, TimeSpan.FromHours(1)),
            new PaymentTerms(Payee: middleman.NodeId)));
        Assert.Equal(SettlementRefusal.PayeeMismatch, elsewhere.Reason);
    }

    [Fact]
    public async Task A_chain_of_three_middlemen_pays_each_its_fee_and_survives_a_crash_mid_chain()
    {
        await using var h = new SettlementHarness();
        const ulong price = 20_000 * Sat;
        ulong[] fees = [100 * Sat, 200 * Sat, 300 * Sat];
        var originator = h.Network.CreateNode(1_000_000 * Sat);
        var replier = h.Network.CreateNode(0);
        // A middleman pays downstream before it is paid upstream: it needs its own liquidity, as on Lightning.
        const ulong liquidity = 100_000 * Sat;
        var middlemen = fees.Select(_ => h.Network.CreateNode(liquidity)).ToArray();
        var total = h.Network.TotalMsat;

        // Replier → M3 → M2 → M1 → originator: each hop issues upstream under the same hash, with longer deadlines.
        var preimage = Hash32.Random();
        var replierInvoice = await replier.AddHoldInvoiceAsync(preimage.Sha256(), price, "reply", TimeSpan.FromMinutes(30), 40);
        var invoice = replierInvoice.PaymentRequest;
        var payee = replier.NodeId;
        for (var i = middlemen.Length - 1; i >= 0; i--)
        {
            var opened = await SettlementHarness.Ask<RelayOpened>(h.Settlement($"m{i + 1}", middlemen[i]),
                new RelayPayment(invoice, new RelayTerms(fees[i], TimeSpan.FromMinutes(30)), new PaymentTerms(Payee: payee, PaymentHash: preimage.Sha256())));
            invoice = opened.UpstreamInvoice.PaymentRequest;
            payee = middlemen[i].NodeId;
        }

        // The originator pays; the chain locks hop by hop down to the replier.
        var replierAccepted = SettlementHarness.WhenInvoice(replier, preimage.Sha256(), InvoiceState.Accepted);
        var originatorPayment = originator.PayAsync(invoice);
        await replierAccepted;

        // The middlemen's node crashes with every hold in flight; the replier settles meanwhile.
        await h.System.Terminate();
        await replier.SettleInvoiceAsync(preimage);
        h.StartSystemInto();
        var recovered = middlemen.Select((m, i) => h.Settlement($"m{i + 1}", m)).ToArray();

        var paid = await originatorPayment.WaitAsync(SettlementHarness.Timeout);
        Assert.True(paid.Succeeded, paid.ToString());
        Assert.Equal(preimage, paid.Preimage);
        Assert.Equal(price, (await replier.GetBalanceAsync()).AvailableMsat);
        for (var i = 0; i < middlemen.Length; i++)
        {
            var balance = await middlemen[i].GetBalanceAsync();
            Assert.Equal(liquidity + fees[i], balance.AvailableMsat);
            Assert.Equal(0ul, balance.OutgoingLockedMsat);
            var ledger = await AwaitLedger(recovered[i], l => l.Active.IsEmpty);
            Assert.Equal((long)fees[i], ledger.NetMsat());
        }
        Assert.Equal(1_000_000 * Sat - price - fees.Aggregate(0ul, (a, b) => a + b), (await originator.GetBalanceAsync()).AvailableMsat);
        Assert.Equal(total, h.Network.TotalMsat);
    }

    [Fact]
    public async Task When_the_replier_never_settles_every_hop_is_refunded()
    {
        await using var h = new SettlementHarness();
        var originator = h.Network.CreateNode(100_000 * Sat);
        var replier = h.Network.CreateNode(0);
        var middleman = h.Network.CreateNode(100_000 * Sat);
        var hash = Hash32.Random().Sha256();
        var replierInvoice = await replier.AddHoldInvoiceAsync(hash, 5_000 * Sat, "reply", TimeSpan.FromMinutes(30), 40);
        var relay = h.Settlement("m1", middleman);
        var opened = await SettlementHarness.Ask<RelayOpened>(relay, new RelayPayment(replierInvoice.PaymentRequest, new RelayTerms(100 * Sat, TimeSpan.FromHours(1))));

        var replierAccepted = SettlementHarness.WhenInvoice(replier, hash, InvoiceState.Accepted);
        var payment = originator.PayAsync(opened.UpstreamInvoice.PaymentRequest);
        var held = await replierAccepted;

        // Time passes beyond every hold; the network times HTLCs out and the relay cancels its upstream.
        h.Clock.Advance(TimeSpan.FromDays(1));
        h.Network.ExpireDue();
        relay.Tell(SweepExpiredHolds.Instance);

        var result = await payment.WaitAsync(SettlementHarness.Timeout);
        Assert.False(result.Succeeded);
        Assert.Equal(100_000 * Sat, (await originator.GetBalanceAsync()).AvailableMsat);
        Assert.Equal(100_000 * Sat, (await middleman.GetBalanceAsync()).AvailableMsat);
        Assert.Equal(0ul, (await replier.GetBalanceAsync()).AvailableMsat);
        Assert.NotNull(held.HtlcExpiresAt);
        var ledger = await AwaitLedger(relay, l => l.Active.IsEmpty);
        Assert.Equal(RecordedInvoiceState.Cancelled, ledger.Invoice(hash)!.State);
        Assert.Equal(0, ledger.NetMsat());
    }

    /// <summary>Polls the actor's ledger (by message, not by sleeping) until it satisfies the condition.</summary>
    internal static Task<SettlementLedger> AwaitLedger(IActorRef settlement, Func<SettlementLedger, bool> condition) =>
        Support.Eventually.Value(() => SettlementHarness.Ask<SettlementLedger>(settlement, GetSettlementLedger.Instance), condition, SettlementHarness.Timeout);
}
