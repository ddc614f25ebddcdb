using SweetGossip.Node.Settlement;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Tests.Settlement;

/// <summary>The ledger alone: every illegal transition refused with its typed reason, nothing applied; the legal ones fold.</summary>
public class SettlementLedgerTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);
    private static readonly RelayPolicy Policy = SettlementSettings.Default.Relay;
    private static readonly Hash32 Preimage = Hash32.Random();
    private static readonly Hash32 Hash = Preimage.Sha256();

    private static SettlementLedger Ledger(params SettlementEvent[] events) =>
        events.Aggregate(SettlementLedger.Empty(Policy), (l, e) => l.Apply(e));

    private static InvoiceIssuedEvent Issued => new(Hash, T0, 1_000, "lnbcrt-x", T0.AddHours(1), 40);

    private static void Refused(SettlementLedger ledger, SettlementEvent e, SettlementRefusal reason)
    {
        Assert.Equal(reason, ledger.Check(e)?.Reason);
        var thrown = Assert.Throws<SettlementRefusedException>(() => ledger.Apply(e));
        Assert.Equal(reason, thrown.Reason);
    }

    [Fact]
    public void An_invoice_goes_open_accepted_settled_and_nothing_else()
    {
        var open = Ledger(Issued);
        Refused(open, new InvoiceSettledEvent(Hash, T0, Preimage), SettlementRefusal.InvoiceNotAccepted);
        Refused(open, Issued, SettlementRefusal.DuplicatePaymentHash);
        var accepted = open.Apply(new InvoiceAcceptedEvent(Hash, T0, T0.AddHours(6)));
        Refused(accepted, new InvoiceAcceptedEvent(Hash, T0, T0.AddHours(6)), SettlementRefusal.InvoiceNotOpen);
        Refused(accepted, new InvoiceSettledEvent(Hash, T0, Hash32.Random()), SettlementRefusal.WrongPreimage);
        var settled = accepted.Apply(new InvoiceSettledEvent(Hash, T0, Preimage));
        Refused(settled, new InvoiceSettledEvent(Hash, T0, Preimage), SettlementRefusal.InvoiceAlreadySettled);
        Refused(settled, new InvoiceCancelledEvent(Hash, T0, "late"), SettlementRefusal.InvoiceAlreadySettled);
        Refused(settled, new InvoiceAcceptedEvent(Hash, T0, null), SettlementRefusal.InvoiceAlreadySettled);
        Assert.True(settled[Hash]!.IsFinished);
        Assert.Equal(SettlementRefusal.InvoiceAlreadySettled, settled.RefuseCancel(Hash)!.Reason);

        var cancelled = accepted.Apply(new InvoiceCancelledEvent(Hash, T0, CancelReasons.HoldExpired));
        Refused(cancelled, new InvoiceSettledEvent(Hash, T0, Preimage), SettlementRefusal.InvoiceAlreadyCancelled);
        Refused(cancelled, new InvoiceCancelledEvent(Hash, T0, "again"), SettlementRefusal.InvoiceAlreadyCancelled);
        Refused(SettlementLedger.Empty(Policy), new InvoiceAcceptedEvent(Hash, T0, null), SettlementRefusal.UnknownPaymentHash);
    }

    [Fact]
    public void A_payment_is_started_once_and_ends_once_with_the_right_preimage()
    {
        var started = Ledger(new PaymentStartedEvent(Hash, T0, "lnbcrt-y", 500));
        Refused(started, new PaymentStartedEvent(Hash, T0, "lnbcrt-y", 500), SettlementRefusal.AlreadyPaid);
        Refused(started, new PaymentSucceededEvent(Hash, T0, Hash32.Random(), 0), SettlementRefusal.WrongPreimage);
        var succeeded = started.Apply(new PaymentSucceededEvent(Hash, T0, Preimage, 0));
        Refused(succeeded, new PaymentFailedEvent(Hash, T0, "late"), SettlementRefusal.PaymentNotInFlight);
        Refused(succeeded, new PaymentSucceededEvent(Hash, T0, Preimage, 0), SettlementRefusal.PaymentNotInFlight);
        Assert.Equal(SettlementRefusal.AlreadyPaid, succeeded.RefusePayment(Hash)!.Reason);
        Refused(SettlementLedger.Empty(Policy), new PaymentFailedEvent(Hash, T0, "?"), SettlementRefusal.PaymentNotInFlight);
    }

    [Fact]
    public void A_relay_pays_downstream_only_with_upstream_accepted_and_time_left_and_never_cancels_while_it_is_unresolved()
    {
        const int downstreamCltv = 40;
        var relay = new RelayRegisteredEvent(Hash, T0, "lnbcrt-down", 10_000, 1_000, downstreamCltv);
        var issued = new InvoiceIssuedEvent(Hash, T0, 11_000, "lnbcrt-up", T0.AddMinutes(30), 80);
        var open = Ledger(relay, issued);
        Refused(open, new PaymentStartedEvent(Hash, T0, "lnbcrt-down", 10_000), SettlementRefusal.UpstreamNotAccepted);
        Refused(Ledger(relay), new InvoiceIssuedEvent(Hash, T0, 12_000, "lnbcrt-up", T0.AddMinutes(30), 80), SettlementRefusal.AmountMismatch);

        var deadline = T0.AddMinutes(10 * 80);
        var accepted = open.Apply(new InvoiceAcceptedEvent(Hash, T0, deadline));
        var lastSafe = deadline - Policy.PayingWindow(downstreamCltv);
        Refused(accepted, new PaymentStartedEvent(Hash, lastSafe.AddSeconds(1), "lnbcrt-down", 10_000), SettlementRefusal.TooLateToPay);
        Refused(accepted, new PaymentStartedEvent(Hash, T0, "lnbcrt-other", 10_000), SettlementRefusal.AmountMismatch);
        Assert.Equal([new PayDownstreamDue(Hash, "lnbcrt-down", 10_000)], accepted.Due(Hash, lastSafe));
        Assert.Equal([new CancelDue(Hash, CancelReasons.TooLate)], accepted.Due(Hash, lastSafe.AddSeconds(1)));
        Assert.Equal(SettlementRefusal.TooLateToPay, Ledger(relay, issued, new InvoiceAcceptedEvent(Hash, T0, null))
            .Check(new PaymentStartedEvent(Hash, T0, "lnbcrt-down", 10_000))!.Reason); // an unknown deadline is not a safe one

        var paying = accepted.Apply(new PaymentStartedEvent(Hash, lastSafe, "lnbcrt-down", 10_000));
        Assert.Equal(SettlementRefusal.DownstreamUnresolved, paying.RefuseCancel(Hash)!.Reason);
        Assert.DoesNotContain(paying.Due(Hash, deadline.AddHours(1)), a => a is CancelDue); // past its own hold: still not cancelled by us
        var paid = paying.Apply(new PaymentSucceededEvent(Hash, lastSafe, Preimage, 0));
        Assert.Equal(SettlementRefusal.DownstreamUnresolved, paid.RefuseCancel(Hash)!.Reason);
        Assert.Contains(new SettleDue(Hash, Preimage), paid.Due(Hash, lastSafe));
        var failed = paying.Apply(new PaymentFailedEvent(Hash, lastSafe, "PayeeCancelled"));
        Assert.Null(failed.RefuseCancel(Hash));
        Assert.Contains(new CancelDue(Hash, CancelReasons.DownstreamFailed), failed.Due(Hash, lastSafe));
    }

    [Fact]
    public void A_relay_and_a_secret_need_a_fresh_hash_and_amounts_never_wrap()
    {
        Refused(Ledger(Issued), new RelayRegisteredEvent(Hash, T0, "d", 1, 1, 40), SettlementRefusal.DuplicatePaymentHash);
        Refused(SettlementLedger.Empty(Policy), new RelayRegisteredEvent(Hash, T0, "d", ulong.MaxValue, 1, 40), SettlementRefusal.AmountOverflow);
        Refused(SettlementLedger.Empty(Policy), new SecretRegisteredEvent(Hash, T0, Hash32.Random()), SettlementRefusal.WrongPreimage);
        Refused(Ledger(new SecretRegisteredEvent(Hash, T0, Preimage)), new SecretRegisteredEvent(Hash, T0, Preimage), SettlementRefusal.DuplicatePaymentHash);
    }

    [Fact]
    public void A_secret_settles_on_acceptance_and_a_secret_without_an_invoice_is_looked_up()
    {
        var secret = Ledger(new SecretRegisteredEvent(Hash, T0, Preimage));
        Assert.Equal([new LookupInvoiceDue(Hash)], secret.Due(Hash, T0));
        Assert.Contains(Hash, secret.Active);
        var notIssued = secret.Apply(new InvoiceNotIssuedEvent(Hash, T0, "refused"));
        Assert.True(notIssued[Hash]!.IsFinished);
        var accepted = secret.Apply(Issued).Apply(new InvoiceAcceptedEvent(Hash, T0, T0.AddHours(6)));
        Assert.Equal([new SettleDue(Hash, Preimage)], accepted.Due(Hash, T0));
    }

    [Fact]
    public void Finished_entries_are_pruned_after_the_retention_and_active_ones_never()
    {
        var other = Hash32.Random();
        var ledger = Ledger(Issued, new InvoiceCancelledEvent(Hash, T0, "expired unpaid"), new PaymentStartedEvent(other, T0, "r", 1));
        var pruned = ledger.Prune(T0.AddSeconds(1));
        Assert.Null(pruned[Hash]);
        Assert.NotNull(pruned[other]);
        Assert.Equal([other], pruned.Active);
        Assert.Same(ledger, ledger.Prune(T0)); // nothing older: the same ledger
    }

    [Fact]
    public void Entries_and_active_ones_are_walked_in_payment_hash_order()
    {
        // The sweep acts on active entries in the order it walks them: by the bytes, not by a hash code seeded per process.
        var hashes = Enumerable.Range(0, 16).Select(_ => Hash32.Random()).ToList();
        var ledger = Ledger([.. hashes.Select(h => (SettlementEvent)new InvoiceIssuedEvent(h, T0, 1_000, "lnbcrt-" + h.ToHex(), T0.AddHours(1), 40))]);
        var byBytes = hashes.OrderBy(h => h.ToHex(), StringComparer.Ordinal).ToList();
        Assert.Equal(byBytes, ledger.Active.ToList());
        Assert.Equal(byBytes, ledger.Entries.Keys.ToList());
    }
}
