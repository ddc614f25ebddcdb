using SweetGossip.Lightning.Port;
using SweetGossip.Node.Settlement;

namespace SweetGossip.Node.Tests.Settlement;

/// <summary>
/// The payment chain (D15) as the settlement ledger runs it, on pure ledgers and a synchronous Lightning
/// network (<see cref="ChainModel"/>): who earns what, who is refunded when, and the deadline rule.
/// </summary>
public class PaymentChainTests
{
    private const ulong Price = 25_000_000;
    private static readonly ulong[] Fees = [1_000, 2_000, 3_000];
    private const ulong Opening = ChainModel.Opening;

    [Fact]
    public void Every_middleman_earns_its_fee_and_the_replier_its_price()
    {
        var chain = new ChainModel(Price, Fees);
        chain.OriginatorPays();

        Assert.Equal(Opening - Price - 6_000, chain.Balance(chain.Originator).AvailableMsat);
        Assert.Equal(Opening + Price, chain.Balance(chain.Replier).AvailableMsat);
        for (var i = 0; i < Fees.Length; i++)
        {
            Assert.Equal(Opening + Fees[i], chain.Balance(chain.Middlemen[i]).AvailableMsat);
            Assert.Equal((long)Fees[i], chain.Middlemen[i].Ledger.NetMsat());
        }
        Assert.All(chain.All, n => Assert.Empty(n.Ledger.Active));
        Assert.Equal(chain.DepositedMsat, chain.Lightning.TotalMsat);
    }

    [Fact]
    public void If_the_originator_never_pays_every_invoice_expires_and_no_balance_changes()
    {
        var chain = new ChainModel(Price, Fees);
        Assert.All(chain.Middlemen, m => Assert.Null(m.Ledger.Payment(chain.Hash)));
        chain.Advance(TimeSpan.FromHours(1));

        Assert.All(chain.All, n => Assert.Equal(Opening, chain.Balance(n).AvailableMsat));
        Assert.All([chain.Replier, .. chain.Middlemen], n => Assert.Equal(RecordedInvoiceState.Cancelled, n.Ledger.Invoice(chain.Hash)!.State));
        Assert.All(chain.Middlemen, m => Assert.Null(m.Ledger.Payment(chain.Hash)));
    }

    [Fact]
    public void If_the_replier_never_settles_the_holds_expire_and_everyone_is_refunded()
    {
        var chain = new ChainModel(Price, Fees);
        chain.Crash(chain.Replier);
        chain.OriginatorPays();
        // The chain is locked down to the replier, who is gone.
        Assert.Equal(InvoiceState.Accepted, chain.Lightning.Lookup(chain.Replier.Account, chain.Hash, chain.Now).State);
        Assert.All(chain.Middlemen, m => Assert.Equal(RecordedPaymentState.InFlight, m.Ledger.Payment(chain.Hash)!.State));

        chain.Advance(TimeSpan.FromDays(2));
        Assert.All(chain.All, n => Assert.Equal((Opening, 0UL), (chain.Balance(n).AvailableMsat, chain.Balance(n).OutgoingLockedMsat)));
        Assert.Equal(RecordedPaymentState.Failed, chain.Originator.Ledger.Payment(chain.Hash)!.State);
        Assert.All(chain.Middlemen, m => Assert.Equal(RecordedInvoiceState.Cancelled, m.Ledger.Invoice(chain.Hash)!.State));
    }

    [Fact]
    public void A_middleman_whose_upstream_expires_unpaid_never_pays()
    {
        var chain = new ChainModel(Price, Fees);
        chain.Advance(TimeSpan.FromMinutes(31));
        chain.OriginatorPays();

        Assert.Equal(RecordedPaymentState.Failed, chain.Originator.Ledger.Payment(chain.Hash)!.State);
        Assert.All(chain.Middlemen, m => Assert.Null(m.Ledger.Payment(chain.Hash)));
        Assert.All(chain.All, n => Assert.Equal(Opening, chain.Balance(n).AvailableMsat));
    }

    [Fact]
    public void If_the_replier_cancels_while_held_the_middlemen_cancel_upstream_and_the_originator_is_refunded()
    {
        var chain = new ChainModel(Price, Fees);
        chain.Crash(chain.Replier);
        chain.OriginatorPays();
        chain.Lightning.Cancel(chain.Replier.Account, chain.Hash, chain.Now);
        chain.Drive();

        Assert.All(chain.All, n => Assert.Equal((Opening, 0UL), (chain.Balance(n).AvailableMsat, chain.Balance(n).OutgoingLockedMsat)));
        Assert.All(chain.Middlemen, m => Assert.Equal(CancelReasons.DownstreamFailed, m.Ledger.Invoice(chain.Hash)!.CancelReason));
    }

    [Fact]
    public void The_replier_can_settle_late_but_within_its_hold()
    {
        var chain = new ChainModel(Price, Fees);
        chain.Crash(chain.Replier);
        chain.OriginatorPays();
        chain.Advance(TimeSpan.FromMinutes(300)); // the replier's hold is 40 blocks = 400 minutes
        chain.Restart(chain.Replier);

        Assert.Equal(Opening + Price, chain.Balance(chain.Replier).AvailableMsat);
        Assert.All(chain.Middlemen.Zip(Fees), p => Assert.Equal(Opening + p.Item2, chain.Balance(p.Item1).AvailableMsat));
    }

    [Fact]
    public void A_middleman_back_too_late_to_pay_downstream_safely_refunds_upstream_instead()
    {
        var chain = new ChainModel(Price, [1_000]);
        var m = chain.Middlemen[0];
        chain.Crash(m);
        chain.OriginatorPays();
        var deadline = chain.Lightning.Lookup(m.Account, chain.Hash, chain.Now).HtlcExpiresAt!.Value;
        // Back with less than (40 + 12) blocks left on its upstream HTLC: paying the replier now could outlive it.
        chain.Advance(deadline - chain.Now - TimeSpan.FromMinutes(10 * 51));
        chain.Restart(m);

        Assert.Null(m.Ledger.Payment(chain.Hash));
        Assert.Equal(CancelReasons.TooLate, m.Ledger.Invoice(chain.Hash)!.CancelReason);
        Assert.All(chain.All, n => Assert.Equal(Opening, chain.Balance(n).AvailableMsat));
    }

    [Fact]
    public void Without_the_deadline_rule_a_middleman_pays_downstream_and_loses_its_upstream_payment()
    {
        // The same story, but this middleman's window is one tick: it pays whenever upstream is accepted.
        var careless = SettlementSettings.Default.Relay with { BlockInterval = TimeSpan.FromTicks(1) };
        var chain = new ChainModel(Price, [1_000], middlemanPolicies: [careless], expiry: TimeSpan.FromDays(1)); // the replier's invoice stays payable
        var m = chain.Middlemen[0];
        chain.Crash(m);
        chain.Crash(chain.Replier);
        chain.OriginatorPays();
        var deadline = chain.Lightning.Lookup(m.Account, chain.Hash, chain.Now).HtlcExpiresAt!.Value;
        chain.Advance(deadline - chain.Now - TimeSpan.FromMinutes(10));
        chain.Restart(m); // pays the replier, 10 minutes before its own upstream HTLC times out
        Assert.Equal(RecordedPaymentState.InFlight, m.Ledger.Payment(chain.Hash)!.State);
        chain.Advance(TimeSpan.FromMinutes(20)); // upstream times out: the originator is refunded
        chain.Restart(chain.Replier); // and the replier settles, within its own hold

        Assert.Equal(Opening - Price, chain.Balance(m).AvailableMsat);
        Assert.Equal(Opening, chain.Balance(chain.Originator).AvailableMsat);
        Assert.Equal(chain.DepositedMsat, chain.Lightning.TotalMsat);
    }

    [Fact]
    public void A_relay_whose_deadline_is_checked_after_a_crash_between_journaling_and_paying_does_not_pay_late()
    {
        var chain = new ChainModel(Price, [1_000]);
        var m = chain.Middlemen[0];
        m.CrashAfter = typeof(PaymentStartedEvent); // journaled the intent, never reached Lightning
        chain.OriginatorPays();
        Assert.False(m.Up);
        Assert.Equal(RecordedPaymentState.InFlight, m.Ledger.Payment(chain.Hash)!.State);
        var deadline = chain.Lightning.Lookup(m.Account, chain.Hash, chain.Now).HtlcExpiresAt!.Value;
        chain.Advance(deadline - chain.Now - TimeSpan.FromMinutes(100));
        chain.Restart(m);

        Assert.Equal(RecordedPaymentState.Failed, m.Ledger.Payment(chain.Hash)!.State);
        Assert.Equal(RecordedInvoiceState.Cancelled, m.Ledger.Invoice(chain.Hash)!.State);
        Assert.All(chain.All, n => Assert.Equal(Opening, chain.Balance(n).AvailableMsat));
    }
}
