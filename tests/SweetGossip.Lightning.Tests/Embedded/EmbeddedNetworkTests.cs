using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;
using static SweetGossip.Lightning.Tests.Embedded.LightningTestKit;

namespace SweetGossip.Lightning.Tests.Embedded;

public sealed class EmbeddedNetworkTests : IDisposable
{
    private readonly LightningTestKit _kit = new();

    public void Dispose()
    {
        _kit.AssertConserved();
        _kit.Dispose();
    }

    [Fact]
    public async Task Insufficient_balance_fails_without_touching_the_invoice()
    {
        var (payer, payee) = (_kit.Node(999), _kit.Node(0));
        var (_, hash) = NewSecret(1);
        var invoice = await Invoice(payee, hash, 1_000);

        var result = await payer.PayAsync(invoice.PaymentRequest);

        Assert.Equal(PaymentFailureReason.InsufficientBalance, result.FailureReason);
        Assert.Equal(InvoiceState.Open, (await payee.LookupInvoiceAsync(hash)).State);
        Assert.Equal(new LightningBalance(999, 0, 0), payer.Balance);
    }

    [Fact]
    public async Task An_invoice_can_be_paid_only_once()
    {
        var (first, second, payee) = (_kit.Node(), _kit.Node(), _kit.Node());
        var (preimage, hash) = NewSecret(1);
        var invoice = await Invoice(payee, hash);

        var payment = first.PayAsync(invoice.PaymentRequest);
        Assert.Equal(PaymentFailureReason.AlreadyPaid, (await second.PayAsync(invoice.PaymentRequest)).FailureReason);
        Assert.Equal(PaymentFailureReason.AlreadyPaid, (await first.PayAsync(invoice.PaymentRequest)).FailureReason);
        await payee.SettleInvoiceAsync(preimage);
        Assert.Equal(PaymentFailureReason.AlreadyPaid, (await second.PayAsync(invoice.PaymentRequest)).FailureReason);

        Assert.True((await payment).Succeeded);
        Assert.Equal(1_000_000UL, second.Balance.AvailableMsat);
        Assert.Equal(999_000UL, first.Balance.AvailableMsat);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not an invoice")]
    [InlineData("lnbcrt1pvjluezpp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypq")]
    public async Task Garbage_is_an_invalid_invoice(string request)
    {
        var payer = _kit.Node();

        var result = await payer.PayAsync(request);

        Assert.Equal(PaymentFailureReason.InvalidInvoice, result.FailureReason);
        await ThrowsLightning(LightningErrorCode.InvalidPaymentRequest, () => payer.DecodePaymentRequestAsync(request));
        Assert.Equal(1_000_000UL, payer.Balance.AvailableMsat);
    }

    [Fact]
    public async Task A_node_may_pay_its_own_invoice()
    {
        var node = _kit.Node(5_000);
        var (preimage, hash) = NewSecret(1);
        var invoice = await Invoice(node, hash, 1_000);

        var payment = node.PayAsync(invoice.PaymentRequest);
        Assert.Equal(new LightningBalance(4_000, 1_000, 1_000), node.Balance);
        await node.SettleInvoiceAsync(preimage);

        Assert.True((await payment).Succeeded);
        Assert.Equal(new LightningBalance(5_000, 0, 0), node.Balance);
    }

    [Fact]
    public async Task A_cancelled_token_stops_a_payment_before_it_starts()
    {
        var (payer, payee) = (_kit.Node(), _kit.Node());
        var (_, hash) = NewSecret(1);
        var invoice = await Invoice(payee, hash);

        var payment = payer.PayAsync(invoice.PaymentRequest, new CancellationToken(canceled: true));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => payment);
        Assert.Equal(InvoiceState.Open, (await payee.LookupInvoiceAsync(hash)).State);
    }

    [Fact]
    public async Task Decode_returns_the_terms_of_an_invoice_of_this_network()
    {
        var (payer, payee) = (_kit.Node(), _kit.Node());
        var (_, hash) = NewSecret(1);
        var invoice = await payee.AddHoldInvoiceAsync(hash, 12_345, "memo ✓", TimeSpan.FromSeconds(90), 58);

        var decoded = await payer.DecodePaymentRequestAsync(invoice.PaymentRequest);

        Assert.Equal(new DecodedPaymentRequest(payee.NodeId, hash, 12_345, "memo ✓", invoice.CreatedAt, invoice.ExpiresAt, 58), decoded);
    }

    [Fact]
    public async Task Subscribers_see_every_change_of_the_nodes_invoices_in_order()
    {
        var (payer, payee) = (_kit.Node(), _kit.Node());
        var updates = new List<InvoiceUpdate>();
        using var subscription = payee.SubscribeInvoices(updates.Add);
        var (p1, h1) = NewSecret(1);
        var (_, h2) = NewSecret(2);
        var (_, h3) = NewSecret(3);

        var i1 = await Invoice(payee, h1);
        var i2 = await Invoice(payee, h2);
        await Invoice(payee, h3, expiry: TimeSpan.FromMinutes(1));
        var pay1 = payer.PayAsync(i1.PaymentRequest);
        var pay2 = payer.PayAsync(i2.PaymentRequest);
        await payee.SettleInvoiceAsync(p1);
        await payee.CancelInvoiceAsync(h2);
        _kit.Clock.Advance(TimeSpan.FromMinutes(1));
        _kit.Network.ExpireDue();

        Assert.Equal(
            [(h1, InvoiceState.Open), (h2, InvoiceState.Open), (h3, InvoiceState.Open), (h1, InvoiceState.Accepted),
             (h2, InvoiceState.Accepted), (h1, InvoiceState.Settled), (h2, InvoiceState.Cancelled), (h3, InvoiceState.Cancelled)],
            updates.Select(u => (u.PaymentHash, u.State)));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (ulong)i), updates.Select(u => u.Sequence));
        Assert.Equal(InvoiceCancelReason.Expired, updates[^1].Invoice.CancelReason);
        Assert.True((await pay1).Succeeded);
        Assert.False((await pay2).Succeeded);
    }

    [Fact]
    public async Task Other_nodes_invoices_are_not_delivered_and_disposed_subscriptions_get_nothing()
    {
        var (a, b) = (_kit.Node(), _kit.Node());
        var seen = new List<InvoiceUpdate>();
        var subscription = a.SubscribeInvoices(seen.Add);

        await Invoice(b, NewSecret(1).Hash);
        await Invoice(a, NewSecret(2).Hash);
        subscription.Dispose();
        await Invoice(a, NewSecret(3).Hash);

        Assert.Equal([NewSecret(2).Hash], seen.Select(u => u.PaymentHash));
    }

    [Fact]
    public async Task A_single_invoice_subscription_gets_the_current_state_first_then_the_changes()
    {
        var (payer, payee) = (_kit.Node(), _kit.Node());
        var (preimage, hash) = NewSecret(1);
        var invoice = await Invoice(payee, hash);
        await Invoice(payee, NewSecret(2).Hash);
        _ = payer.PayAsync(invoice.PaymentRequest);
        var seen = new List<InvoiceUpdate>();

        using var subscription = payee.SubscribeSingleInvoice(hash, seen.Add);
        await Invoice(payee, NewSecret(3).Hash);
        await payee.SettleInvoiceAsync(preimage);

        Assert.Equal([InvoiceState.Accepted, InvoiceState.Settled], seen.Select(u => u.State));
        Assert.Equal([3UL, 5UL], seen.Select(u => u.Sequence)); // the replayed update keeps its number
    }

    [Fact]
    public async Task Subscribing_to_an_overdue_invoice_delivers_its_expiry_once()
    {
        var payee = _kit.Node();
        var (_, hash) = NewSecret(1);
        await Invoice(payee, hash, expiry: TimeSpan.FromMinutes(1));
        _kit.Clock.Advance(TimeSpan.FromMinutes(2)); // overdue, but ExpireDue has not run
        var seen = new List<InvoiceUpdate>();

        using var subscription = payee.SubscribeSingleInvoice(hash, seen.Add);

        var update = Assert.Single(seen);
        Assert.Equal(InvoiceState.Cancelled, update.State);
        Assert.Equal(InvoiceCancelReason.Expired, update.Invoice.CancelReason);
    }

    [Fact]
    public async Task A_single_invoice_subscription_may_precede_the_invoice()
    {
        var payee = _kit.Node();
        var (_, hash) = NewSecret(1);
        var seen = new List<InvoiceState>();
        using var subscription = payee.SubscribeSingleInvoice(hash, u => seen.Add(u.State));

        await Invoice(payee, hash);
        await payee.CancelInvoiceAsync(hash);

        Assert.Equal([InvoiceState.Open, InvoiceState.Cancelled], seen);
    }

    [Fact]
    public async Task A_callback_may_settle_and_the_payment_completes_after_the_callback_returns()
    {
        var (payer, payee) = (_kit.Node(), _kit.Node());
        var (preimage, hash) = NewSecret(1);
        var order = new List<string>();
        using var subscription = payee.SubscribeSingleInvoice(hash, u =>
        {
            order.Add(u.State.ToString());
            if (u.State == InvoiceState.Accepted)
            {
                Assert.True(payee.SettleInvoiceAsync(preimage).IsCompletedSuccessfully);
                order.Add("settle returned");
            }
        });
        var invoice = await Invoice(payee, hash);

        var payment = payer.PayAsync(invoice.PaymentRequest);

        // Everything ran inside PayAsync, without re-entering the callback: the Settled update was queued.
        Assert.True(payment.IsCompletedSuccessfully);
        Assert.Equal(preimage, (await payment).Preimage);
        Assert.Equal(["Open", "Accepted", "settle returned", "Settled"], order);
    }

    [Fact]
    public async Task A_throwing_callback_is_reported_and_does_not_stop_delivery()
    {
        var errors = new List<Exception>();
        var clock = new ManualTimeProvider();
        using var network = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions
        {
            TimeProvider = clock, SignInvoices = false, OnCallbackError = errors.Add,
        });
        var node = network.CreateNode(0);
        var seen = 0;
        using var bad = node.SubscribeInvoices(_ => throw new InvalidOperationException("boom"));
        using var good = node.SubscribeInvoices(_ => seen++);

        await Invoice(node, NewSecret(1).Hash);

        Assert.Equal(1, seen);
        Assert.Equal("boom", Assert.Single(errors).Message);
        Assert.Equal(1, network.CallbackErrorCount);
    }

    [Fact]
    public async Task Routing_fees_are_charged_to_the_payer_and_refunded_on_failure()
    {
        using var kit = new LightningTestKit(feeBaseMsat: 10, feePpm: 1_000);
        var (payer, payee) = (kit.Node(100_000), kit.Node(0));
        var (p1, h1) = NewSecret(1);
        var (_, h2) = NewSecret(2);
        var i1 = await Invoice(payee, h1, 20_000);
        var i2 = await Invoice(payee, h2, 20_000);

        var pay1 = payer.PayAsync(i1.PaymentRequest);
        var pay2 = payer.PayAsync(i2.PaymentRequest);
        Assert.Equal(new LightningBalance(100_000 - 2 * 20_030, 2 * 20_030, 0), payer.Balance);
        await payee.SettleInvoiceAsync(p1);
        await payee.CancelInvoiceAsync(h2);

        var settled = await pay1;
        Assert.Equal(30UL, settled.FeeMsat);
        Assert.Equal(0UL, (await pay2).FeeMsat);
        Assert.Equal(new LightningBalance(100_000 - 20_030, 0, 0), payer.Balance);
        Assert.Equal(20_000UL, payee.Balance.AvailableMsat);
        Assert.Equal(30UL, kit.Network.Ledger.RoutingFeesMsat);
        kit.AssertConserved();
    }

    [Fact]
    public async Task The_expiry_timer_applies_deadlines_without_explicit_ExpireDue()
    {
        var (payer, payee) = (_kit.Node(), _kit.Node());
        var (_, h1) = NewSecret(1);
        var (_, h2) = NewSecret(2);
        await Invoice(payee, h1, expiry: TimeSpan.FromMinutes(5));
        var held = await Invoice(payee, h2, cltvExpiryDelta: 3);
        var payment = payer.PayAsync(held.PaymentRequest);
        using (_kit.Network.StartExpiryTimer(TimeSpan.FromMinutes(1)))
        {
            _kit.Clock.Advance(TimeSpan.FromMinutes(5));
            Assert.Equal(InvoiceCancelReason.Expired, payee.TryLookupInvoice(h1, out var s1) ? s1.CancelReason : null);
            Assert.False(payment.IsCompleted);

            _kit.Clock.Advance(TimeSpan.FromMinutes(25));
            Assert.True(payment.IsCompleted);
            Assert.Equal(PaymentFailureReason.HoldExpired, (await payment).FailureReason);
        }

        Assert.Equal(0, _kit.Clock.ActiveTimers);
    }

    [Fact]
    public async Task Pruned_invoices_are_forgotten_and_their_hash_is_free_again()
    {
        var (payer, payee) = (_kit.Node(), _kit.Node());
        var (preimage, hash) = NewSecret(1);
        var (_, open) = NewSecret(2);
        var invoice = await Invoice(payee, hash);
        await Invoice(payee, open);
        _ = payer.PayAsync(invoice.PaymentRequest);
        await payee.SettleInvoiceAsync(preimage);
        _kit.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, _kit.Network.PruneResolvedInvoices(_kit.Clock.GetUtcNow()));

        await ThrowsLightning(LightningErrorCode.InvoiceNotFound, () => payee.LookupInvoiceAsync(hash));
        Assert.Equal(InvoiceState.Open, (await payee.LookupInvoiceAsync(open)).State);
        Assert.Equal(PaymentFailureReason.InvalidInvoice, (await payer.PayAsync(invoice.PaymentRequest)).FailureReason);
        await Invoice(payee, hash);
    }

    [Fact]
    public void Node_ids_are_the_compressed_keys_and_are_derived_lazily()
    {
        var key = PrivateKey.FromHex("0000000000000000000000000000000000000000000000000000000000000003");
        var given = _kit.Network.CreateNode(0, key);
        var generated = _kit.Network.CreateNode(0);

        Assert.Equal("02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9", given.NodeId.ToHex());
        Assert.True(_kit.Network.TryGetNode(given.NodeId, out var found) && ReferenceEquals(found, given));
        Assert.Equal(LightningNodeId.FromPrivateKey(generated.PrivateKey), generated.NodeId);
        Assert.Throws<ArgumentException>(() => _kit.Network.CreateNode(0, key));
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_keys_and_invoices()
    {
        async Task<(string Id, string Request)> Run()
        {
            using var kit = new LightningTestKit(seed: 42);
            var node = kit.Node();
            var invoice = await Invoice(node, NewSecret(1).Hash);
            return (node.NodeId.ToHex(), invoice.PaymentRequest);
        }

        Assert.Equal(await Run(), await Run());
    }

    [Fact]
    public void Concurrent_payments_from_many_threads_conserve_money()
    {
        const int Threads = 4;
        const int PerThread = 300;
        var nodes = Enumerable.Range(0, 8).Select(_ => _kit.Node(1_000_000)).ToArray();
        Parallel.For(0, Threads, t =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                var payee = nodes[(t + i) % nodes.Length];
                var payer = nodes[(t + 3 * i + 1) % nodes.Length];
                var (preimage, hash) = NewSecret(t * PerThread + i);
                var invoice = payee.AddHoldInvoiceAsync(hash, (ulong)(1 + i), "", Hour, 18).Result;
                var payment = payer.PayAsync(invoice.PaymentRequest);
                if (i % 3 == 0)
                {
                    payee.CancelInvoiceAsync(hash).Wait();
                }
                else
                {
                    payee.SettleInvoiceAsync(preimage).Wait();
                }

                Assert.Equal(i % 3 != 0, payment.Result.Succeeded);
            }
        });

        Assert.Equal(8_000_000UL, _kit.Network.TotalMsat);
        Assert.All(nodes, n => Assert.Equal(0UL, n.Balance.OutgoingLockedMsat + n.Balance.IncomingPendingMsat));
    }
}
