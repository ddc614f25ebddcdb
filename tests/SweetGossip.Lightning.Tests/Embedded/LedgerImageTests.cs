using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;
using static SweetGossip.Lightning.Tests.Embedded.LedgerPropertyTests;

namespace SweetGossip.Lightning.Tests.Embedded;

/// <summary>
/// A network saved as an image and loaded into a fresh one is the same network: the same books at once, and after
/// the same further operations the same invoices, balances, update sequences and payment results (held payments
/// included, whose tasks the loaded network creates anew). An image that does not add up is refused.
/// </summary>
public class LedgerImageTests
{
    private static readonly Arbitrary<(Op[] Before, Op[] After)> Programs =
        (from before in Gen.ArrayOf(AnyOp).Resize(50) from after in Gen.ArrayOf(AnyOp).Resize(50) select (before, after)).ToArbitrary();

    [Property(MaxTest = 200)]
    public Property A_loaded_network_goes_on_exactly_as_the_one_it_was_saved_from() =>
        Prop.ForAll(Programs, program =>
        {
            var original = new Run(seed: 3);
            foreach (var op in program.Before) original.Apply(op);

            var image = original.Network.Export();
            var loaded = new Run(seed: 4, original.Clock.GetUtcNow());
            loaded.Network.Import(image);
            Assert.Equal(image.Ledger.Accounts, loaded.Network.Export().Ledger.Accounts);
            Assert.Equal(image.Ledger.Invoices, loaded.Network.Export().Ledger.Invoices);
            loaded.Adopt(original);

            foreach (var op in program.After)
            {
                original.Apply(op);
                loaded.Apply(op);
            }
            original.Finish();
            loaded.Finish();

            // Invoices added after the split carry other payment secrets: compare them without their strings.
            var (expected, actual) = (original.Network.Export().Ledger, loaded.Network.Export().Ledger);
            Assert.Equal((expected.DepositedMsat, expected.RoutingFeesMsat), (actual.DepositedMsat, actual.RoutingFeesMsat));
            Assert.Equal(expected.Accounts, actual.Accounts);
            Assert.Equal(WithoutStrings(expected), WithoutStrings(actual));
            foreach (var (payer, hash) in original.Paid)
                Assert.Equal(original.Track(payer, hash), loaded.Track(payer, hash));
            return true;
        });

    [Fact]
    public void An_image_that_does_not_add_up_is_refused_and_leaves_the_ledger_empty()
    {
        var run = new Run(seed: 1);
        run.Apply(new Add(0, 1, 5_000, 30, 6));
        run.Apply(new Pay(1, 0));
        var image = run.Network.Ledger.Export();
        var richer = image with { Accounts = [image.Accounts[0], image.Accounts[1] with { AvailableMsat = image.Accounts[1].AvailableMsat + 1 }, .. image.Accounts.Skip(2)] };
        var unlocked = image with { Accounts = [image.Accounts[0] with { IncomingPendingMsat = 0 }, .. image.Accounts.Skip(1)] };
        var nobody = image with { Invoices = [image.Invoices[0] with { Payer = -1 }] };

        foreach (var bad in new[] { richer, unlocked, nobody })
        {
            var ledger = new EmbeddedLedger();
            Assert.Throws<InvalidDataException>(() => ledger.Import(bad));
            Assert.Equal((0, 0UL), (ledger.AccountCount, ledger.TotalMsat));
            ledger.Import(image); // still empty: the good image loads
            ledger.CheckInvariants();
        }
    }

    [Fact]
    public void Deadlines_due_at_the_same_time_fall_in_the_same_order_in_a_loaded_ledger()
    {
        var original = new Run(seed: 5);
        for (var i = 0; i < 20; i++) original.Apply(new Add(0, i, 1_000, 30, 6)); // one node, one second, one expiry
        var loaded = new Run(seed: 6, original.Clock.GetUtcNow());
        loaded.Network.Import(original.Network.Export());

        original.Finish();
        loaded.Finish();

        Assert.Equal(original.Network.Export().Ledger.Invoices, loaded.Network.Export().Ledger.Invoices);
        Assert.All(loaded.Network.Export().Ledger.Invoices, i => Assert.Equal(InvoiceCancelReason.Expired, i.Last.Invoice.CancelReason));
    }

    [Fact]
    public void The_latest_updates_after_a_cursor_are_each_invoices_current_state_in_sequence_order()
    {
        var run = new Run(seed: 2);
        run.Apply(new Add(0, 1, 1_000, 30, 6));  // seq 1 Open
        run.Apply(new Add(0, 2, 1_000, 30, 6));  // seq 2 Open
        run.Apply(new Pay(1, 0));                 // seq 3 Accepted (secret 1)
        run.Apply(new Add(0, 3, 1_000, 30, 6));  // seq 4 Open
        run.Apply(new Settle(0, RightPreimage: true)); // seq 5 Settled (secret 1)
        var ledger = run.Network.Ledger;

        var all = ledger.LatestUpdatesAfter(0, 0, 10, out var next);
        Assert.Equal([(2UL, InvoiceState.Open), (4UL, InvoiceState.Open), (5UL, InvoiceState.Settled)], all.Select(u => (u.Sequence, u.State)));
        Assert.Equal(5UL, next);
        var page = ledger.LatestUpdatesAfter(0, 2, 1, out next);
        Assert.Equal([4UL], page.Select(u => u.Sequence));
        Assert.Equal(4UL, next);
        Assert.Empty(ledger.LatestUpdatesAfter(0, 5, 10, out next));
        Assert.Equal(5UL, next);
        Assert.Equal((1, -1), (ledger.PayerOf(0, Secret(1).Sha256()), ledger.PayerOf(0, Secret(2).Sha256())));
    }

    private static List<LedgerInvoiceImage> WithoutStrings(LedgerImage image) =>
        image.Invoices.Select(i => i with { Last = i.Last with { Invoice = i.Last.Invoice with { PaymentRequest = "" } } }).ToList();

    /// <summary>A network driven by the ops of <see cref="LedgerPropertyTests"/>, remembering its invoices by the op that added them.</summary>
    private sealed class Run
    {
        private readonly List<(int Node, HoldInvoice Invoice, int Secret)> _invoices = [];

        public Run(int seed, DateTimeOffset? start = null)
        {
            Clock = start is { } at ? new ManualTimeProvider(at) : new ManualTimeProvider();
            Network = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions
            {
                TimeProvider = Clock, SignInvoices = false, Seed = seed, RoutingFeeBaseMsat = 1, RoutingFeePpm = 5_000,
            });
        }

        public ManualTimeProvider Clock { get; }

        public EmbeddedLightningNetwork Network { get; }

        public HashSet<(int Payer, Hash32 Hash)> Paid { get; } = [];

        private EmbeddedLightningNode Node(int i)
        {
            while (Network.Nodes.Count <= i) Network.CreateNode(StartBalance);
            return Network.Nodes[i];
        }

        /// <summary>Takes over the invoices the original knew (their strings are in the loaded ledger).</summary>
        public void Adopt(Run original)
        {
            _invoices.AddRange(original._invoices);
            Paid.UnionWith(original.Paid);
        }

        public void Apply(Op op)
        {
            switch (op)
            {
                case Add add:
                    var added = Node(add.Node).AddHoldInvoiceAsync(Secret(add.Secret).Sha256(), (ulong)add.AmountMsat, "p", TimeSpan.FromMinutes(add.ExpiryMinutes), add.CltvDelta);
                    if (added.IsCompletedSuccessfully) _invoices.Add((add.Node, added.Result, add.Secret));
                    break;
                case Pay pay when _invoices.Count > 0:
                    var target = _invoices[pay.Pick % _invoices.Count];
                    _ = Node(pay.Payer).PayAsync(target.Invoice.PaymentRequest);
                    Paid.Add((pay.Payer, target.Invoice.PaymentHash));
                    break;
                case Settle settle when _invoices.Count > 0:
                    var (node, _, secret) = _invoices[settle.Pick % _invoices.Count];
                    _ = Node(node).SettleInvoiceAsync(settle.RightPreimage ? Secret(secret) : Secret(secret + Secrets));
                    break;
                case Cancel cancel when _invoices.Count > 0:
                    var c = _invoices[cancel.Pick % _invoices.Count];
                    _ = Node(c.Node).CancelInvoiceAsync(c.Invoice.PaymentHash);
                    break;
                case Advance advance:
                    Clock.Advance(TimeSpan.FromMinutes(advance.Minutes));
                    Network.ExpireDue();
                    break;
            }
            Network.Ledger.CheckInvariants();
        }

        /// <summary>Every hold and invoice resolves: each payment gets its final result.</summary>
        public void Finish()
        {
            for (var i = 0; i < Nodes; i++) Node(i);
            Clock.Advance(TimeSpan.FromDays(1));
            Network.ExpireDue();
            Network.Ledger.CheckInvariants();
        }

        public PaymentResult? Track(int payer, Hash32 hash)
        {
            var tracked = Node(payer).TrackPaymentAsync(hash);
            Assert.True(tracked.IsCompleted, "every payment is final after Finish");
            return tracked.Result;
        }
    }
}
