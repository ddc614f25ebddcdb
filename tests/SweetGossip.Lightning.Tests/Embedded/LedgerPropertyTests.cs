using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Tests.Embedded;

/// <summary>
/// Random sequences of operations (add invoice, pay, settle with the right or a wrong preimage, cancel,
/// advance the clock + ExpireDue) never create or destroy money, never make a balance negative, and keep
/// every locked msat backed by exactly one Accepted invoice.
/// </summary>
public class LedgerPropertyTests
{
    internal const int Nodes = 4;
    internal const int Secrets = 12; // few, so hashes collide: duplicates on one node, shared hashes across nodes
    internal const ulong StartBalance = 20_000;

    public abstract record Op;

    public sealed record Add(int Node, int Secret, int AmountMsat, int ExpiryMinutes, int CltvDelta) : Op;

    public sealed record Pay(int Payer, int Pick) : Op;

    public sealed record Settle(int Pick, bool RightPreimage) : Op;

    public sealed record Cancel(int Pick) : Op;

    public sealed record Advance(int Minutes) : Op;

    internal static readonly Gen<Op> AnyOp = Gen.Frequency(
        (4, from node in Gen.Choose(0, Nodes - 1)
            from secret in Gen.Choose(0, Secrets - 1)
            from amount in Gen.Choose(1, 12_000)
            from expiry in Gen.Choose(1, 90)
            from cltv in Gen.Choose(1, 24)
            select (Op)new Add(node, secret, amount, expiry, cltv)),
        (4, from payer in Gen.Choose(0, Nodes - 1) from pick in Gen.Choose(0, 1000) select (Op)new Pay(payer, pick)),
        (3, from pick in Gen.Choose(0, 1000) from right in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false))) select (Op)new Settle(pick, right)),
        (1, from pick in Gen.Choose(0, 1000) select (Op)new Cancel(pick)),
        (2, from minutes in Gen.Choose(0, 120) select (Op)new Advance(minutes)));

    private static readonly Arbitrary<Op[]> Programs = Gen.ArrayOf(AnyOp).Resize(80).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property Money_is_conserved_and_no_balance_goes_negative() =>
        Prop.ForAll(Programs, program =>
        {
            var clock = new ManualTimeProvider();
            using var network = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions
            {
                TimeProvider = clock, SignInvoices = false, Seed = 7, RoutingFeeBaseMsat = 1, RoutingFeePpm = 5_000,
            });
            var nodes = Enumerable.Range(0, Nodes).Select(_ => network.CreateNode(StartBalance)).ToArray();
            var invoices = new List<(EmbeddedLightningNode Node, HoldInvoice Invoice, int Secret)>();
            var payments = new List<(Task<PaymentResult> Task, EmbeddedLightningNode Payee, Hash32 Hash)>();

            foreach (var op in program)
            {
                Apply(op);
                CheckBooks();
            }

            // Whatever was left held or open eventually resolves: every payment gets a final result.
            clock.Advance(TimeSpan.FromDays(1));
            network.ExpireDue();
            CheckBooks();
            Assert.All(payments, p => Assert.True(p.Task.IsCompletedSuccessfully));
            foreach (var group in payments.GroupBy(p => (p.Payee, p.Hash)))
            {
                // Exactly one successful payment per settled invoice, none for any other.
                var settled = group.Key.Payee.TryLookupInvoice(group.Key.Hash, out var status) && status.State == InvoiceState.Settled;
                Assert.Equal(settled ? 1 : 0, group.Count(p => p.Task.Result.Succeeded));
            }

            Assert.All(nodes, n => Assert.Equal(0UL, n.Balance.OutgoingLockedMsat + n.Balance.IncomingPendingMsat));
            return true;

            void Apply(Op op)
            {
                switch (op)
                {
                    case Add add:
                        var hash = Secret(add.Secret).Sha256();
                        var added = nodes[add.Node].AddHoldInvoiceAsync(
                            hash, (ulong)add.AmountMsat, "p", TimeSpan.FromMinutes(add.ExpiryMinutes), add.CltvDelta);
                        if (ExpectOnly(added, LightningErrorCode.DuplicatePaymentHash))
                        {
                            invoices.Add((nodes[add.Node], added.Result, add.Secret));
                        }

                        break;
                    case Pay pay when invoices.Count > 0:
                        var target = invoices[pay.Pick % invoices.Count];
                        var before = nodes[pay.Payer].Balance;
                        var payment = nodes[pay.Payer].PayAsync(target.Invoice.PaymentRequest);
                        if (!payment.IsCompleted)
                        {
                            var fee = network.Ledger.FeeFor(target.Invoice.AmountMsat);
                            Assert.Equal(before.AvailableMsat - target.Invoice.AmountMsat - fee, nodes[pay.Payer].Balance.AvailableMsat);
                        }

                        payments.Add((payment, target.Node, target.Invoice.PaymentHash));
                        break;
                    case Settle settle when invoices.Count > 0:
                        var (node, invoice, secret) = invoices[settle.Pick % invoices.Count];
                        var preimage = settle.RightPreimage ? Secret(secret) : Secret(secret + Secrets);
                        ExpectOnly(
                            node.SettleInvoiceAsync(preimage),
                            LightningErrorCode.NoInvoiceForPreimage, LightningErrorCode.InvoiceNotAccepted,
                            LightningErrorCode.InvoiceAlreadySettled, LightningErrorCode.InvoiceCancelled);
                        break;
                    case Cancel cancel when invoices.Count > 0:
                        var c = invoices[cancel.Pick % invoices.Count];
                        ExpectOnly(c.Node.CancelInvoiceAsync(c.Invoice.PaymentHash), LightningErrorCode.InvoiceAlreadySettled);
                        break;
                    case Advance advance:
                        clock.Advance(TimeSpan.FromMinutes(advance.Minutes));
                        network.ExpireDue();
                        break;
                }
            }

            void CheckBooks()
            {
                Assert.Equal(Nodes * StartBalance, network.TotalMsat);
                network.Ledger.CheckInvariants();
                foreach (var node in nodes)
                {
                    var b = node.Balance;

                    // Balances are unsigned: an underflow would show up as a huge number.
                    Assert.InRange(b.AvailableMsat + b.OutgoingLockedMsat, 0UL, Nodes * StartBalance);
                    Assert.InRange(b.IncomingPendingMsat, 0UL, Nodes * StartBalance);
                }
            }
        });

    internal static Hash32 Secret(int i)
    {
        var bytes = new byte[32];
        bytes[0] = 0x77;
        bytes[31] = (byte)i;
        return Hash32.FromSpan(bytes);
    }

    /// <summary>The task succeeded (true) or failed with one of the allowed codes (false); anything else fails the test.</summary>
    private static bool ExpectOnly(Task task, params LightningErrorCode[] allowed)
    {
        Assert.True(task.IsCompleted, "embedded operations complete synchronously");
        if (task.IsCompletedSuccessfully)
        {
            return true;
        }

        var error = Assert.IsType<LightningException>(task.Exception!.InnerException);
        Assert.Contains(error.Code, allowed);
        return false;
    }
}
