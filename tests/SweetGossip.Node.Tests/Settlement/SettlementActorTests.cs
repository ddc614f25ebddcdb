using Akka.Actor;
using SweetGossip.Lightning.Chain;
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

        var twice = await SettlementHarness.Ask<SettlementRejected>(settlement, new SettleInvoice(preimage));
        Assert.Contains("already settled", twice.Reason);
        var cancelAfterSettle = await SettlementHarness.Ask<SettlementRejected>(settlement, new CancelInvoice(preimage.Sha256()));
        Assert.Contains("already settled", cancelAfterSettle.Reason);

        await h.CrashAndRestartAsync();
        var recovered = h.Settlement("payee", payee);
        var ledger = await SettlementHarness.Ask<SettlementLedger>(recovered, GetSettlementLedger.Instance);
        Assert.Equal(RecordedInvoiceState.Settled, ledger.Invoices[preimage.Sha256()].State);
        Assert.Equal(preimage, ledger.PreimageOf(preimage.Sha256()));
        Assert.Contains("already settled", (await SettlementHarness.Ask<SettlementRejected>(recovered, new SettleInvoice(preimage))).Reason);
    }

    [Fact]
    public async Task Settling_with_a_wrong_preimage_or_before_payment_is_refused()
    {
        await using var h = new SettlementHarness();
        var payee = h.Network.CreateNode(0);
        var settlement = h.Settlement("payee", payee);
        var preimage = Hash32.Random();
        await SettlementHarness.Ask<InvoiceIssued>(settlement, new IssueInvoice(preimage.Sha256(), 1_000 * Sat, "x", TimeSpan.FromHours(1), 40));

        Assert.Contains("not accepted", (await SettlementHarness.Ask<SettlementRejected>(settlement, new SettleInvoice(preimage))).Reason);
        Assert.Contains("no invoice", (await SettlementHarness.Ask<SettlementRejected>(settlement, new SettleInvoice(Hash32.Random()))).Reason);
        Assert.Contains("already exists", (await SettlementHarness.Ask<SettlementRejected>(settlement,
            new IssueInvoice(preimage.Sha256(), 1, "again", TimeSpan.FromHours(1), 40))).Reason);
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
        await AwaitLedger(recovered, l => l.Invoices[hash].State == RecordedInvoiceState.Accepted);
        h.Clock.Advance(status.HtlcExpiresAt!.Value - h.Clock.GetUtcNow());
        var cancelled = SettlementHarness.WhenInvoice(payee, hash, InvoiceState.Cancelled);
        recovered.Tell(SweepExpiredHolds.Instance);
        await cancelled;

        var result = await payment.WaitAsync(SettlementHarness.Timeout);
        Assert.False(result.Succeeded);
        Assert.Equal(10_000 * Sat, (await payer.GetBalanceAsync()).AvailableMsat);
        var ledger = await AwaitLedger(recovered, l => l.Invoices[hash].State == RecordedInvoiceState.Cancelled);
        Assert.Equal("hold expired unsettled", ledger.Invoices[hash].CancelReason);
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
        Assert.Contains("DownstreamHoldNotShorter", refused.Reason);
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
        for (var i = middlemen.Length - 1; i >= 0; i--)
        {
            var opened = await SettlementHarness.Ask<RelayOpened>(h.Settlement($"m{i + 1}", middlemen[i]),
                new RelayPayment(invoice, new RelayTerms(fees[i], TimeSpan.FromMinutes(30))));
            invoice = opened.UpstreamInvoice.PaymentRequest;
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
            var ledger = await AwaitLedger(recovered[i], l => l.Invoices.Values.All(inv => inv.IsFinal));
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
        var ledger = await AwaitLedger(relay, l => l.Invoices[hash].IsFinal && l.Payments[hash].State != RecordedPaymentState.InFlight);
        Assert.Equal(RecordedInvoiceState.Cancelled, ledger.Invoices[hash].State);
        Assert.Equal(0, ledger.NetMsat());
    }

    /// <summary>Polls the actor's ledger (by message, not by sleeping) until it satisfies the condition.</summary>
    private static Task<SettlementLedger> AwaitLedger(IActorRef settlement, Func<SettlementLedger, bool> condition) =>
        Support.Eventually.Value(() => SettlementHarness.Ask<SettlementLedger>(settlement, GetSettlementLedger.Instance), condition, SettlementHarness.Timeout);
}
