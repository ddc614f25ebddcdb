using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using SweetGossip.Cluster.Hosting;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Hub;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Tests.Support;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cluster.Tests;

/// <summary>
/// Issue 12's "money stays exactly-once" across hub members: member 1's settlement book has an invoice issued (its
/// secret journaled) and a payment in flight when member 1's actor system dies without leaving the hub (no
/// CoordinatedShutdown, no hand-off) and is downed. The book is remembered, so it comes up on member 2 at once (no
/// message wakes it), recovers from the shared PostgreSQL journal, settles the invoice paid while no book ran and
/// tracks the payment to its end. The ledger and the Lightning balances agree to the msat. Then member 1 rejoins under
/// a new address and reaches its book, still on member 2, through the region (the settlement serializer both ways).
/// </summary>
public class SettlementBookFailoverTests
{
    private static readonly TimeSpan Patience = TestHub.Patience;

    private static readonly SettlementSettings Settings = SettlementSettings.Default with { LightningCallTimeout = TimeSpan.FromSeconds(10), PaymentWait = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task A_book_whose_member_dies_mid_payment_is_finished_on_a_surviving_member_without_losing_or_doubling_msat()
    {
        using var server = new PostgreSqlServer();
        using var network = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions { Seed = 12 });
        var hubLightning = network.CreateNode(5_000_000); // the hub's one Lightning node, reached by every member
        var buyer = network.CreateNode(5_000_000);
        var seller = network.CreateNode(0);
        Config MemberConfig(int index) => Shared(server).WithFallback(index == 0
            // Member 1 dies as in a crash: terminating its actor system runs no CoordinatedShutdown, so no cluster leave.
            ? ConfigurationFactory.ParseString("akka.coordinated-shutdown.run-by-actor-system-terminate = off")
            : Config.Empty);
        await using var hub = await TestHub.StartAsync(2, MemberConfig);
        ActorSystem? rejoined = null;
        try
        {
            var books = hub.Members.Select(m => HubSettlement.Start(m, hubLightning, TimeProvider.System, Settings)).ToList();
            var book1 = books[0].BookId;
            Assert.NotEqual(book1, books[1].BookId);
            var settlement1 = books[0].Open(hub[0].System, "node");
            var before = await Balances(hubLightning, buyer, seller);

            // Incoming: the secret is journaled, the invoice issued; nobody has paid yet.
            var secret = Hash32.Random();
            const ulong price = 700_000;
            var issued = await settlement1.Ask<InvoiceIssued>(IssueInvoice.Settled(secret, price, "reply", TimeSpan.FromHours(1), 40), Patience);
            // Outgoing: member 1 pays the seller's hold invoice; the seller holds the HTLC, so the payment stays in flight.
            var sellerSecret = Hash32.Random();
            const ulong cost = 300_000;
            var sellerInvoice = await seller.AddHoldInvoiceAsync(sellerSecret.Sha256(), cost, "goods", TimeSpan.FromHours(1), 40);
            settlement1.Tell(new PayInvoice(sellerInvoice.PaymentRequest));
            await Until(async () => (await seller.LookupInvoiceAsync(sellerSecret.Sha256())).State == InvoiceState.Accepted);

            // Member 1 dies with both open, and is downed (the split-brain resolver would, after stable-after).
            await hub[0].System.Terminate().WaitAsync(Patience);
            Akka.Cluster.Cluster.Get(hub[1].System).Down(hub[0].Address);

            // While the book is moving: the buyer pays (the hub's Lightning node holds the HTLC) and the seller settles.
            var bought = buyer.PayAsync(issued.Invoice.PaymentRequest);
            await seller.SettleInvoiceAsync(sellerSecret);

            // Only a live book settles the buyer's HTLC, with the journaled secret: the remembered book did it on member 2,
            // before anyone sent it a message there.
            var paid = await bought.WaitAsync(Patience);
            Assert.True(paid.Succeeded, paid.ToString());
            var state = await books[1].Region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, Patience);
            Assert.Contains(state.Shards, s => s.ShardId == book1 && s.EntityIds.Contains(book1));

            // The payment in flight is tracked to its end; the ledger counts each msat once.
            SettlementLedger ledger = null!;
            await Until(async () =>
            {
                ledger = await books[1].Region.Ask<SettlementLedger>(new ShardingEnvelope(book1, GetSettlementLedger.Instance), Patience);
                // The buyer's payment succeeds when Lightning settles; the book journals that settle just after.
                return ledger.Payment(sellerSecret.Sha256())?.State == RecordedPaymentState.Succeeded
                    && ledger.Invoice(secret.Sha256())?.State == RecordedInvoiceState.Settled && ledger.Active.IsEmpty;
            });
            Assert.Equal(RecordedInvoiceState.Settled, ledger.Invoice(secret.Sha256())!.State);
            Assert.Empty(ledger.Active);
            var fee = ledger.Payment(sellerSecret.Sha256())!.FeeMsat;
            Assert.Equal((long)price - (long)(cost + fee), ledger.NetMsat());
            var after = await Balances(hubLightning, buyer, seller);
            Assert.Equal(ledger.NetMsat(), after.Hub - before.Hub);
            Assert.Equal(-(long)price, after.Buyer - before.Buyer);
            Assert.Equal((long)cost, after.Seller - before.Seller);

            // Member 1 rejoins at a new address; its node reaches its book on member 2 through the region, so commands
            // and answers cross members: the settled invoice cannot be settled again, and a new one is issued.
            rejoined = HubMember.CreateSystem(TestHub.SystemName, TestHub.Settings(), Shared(server));
            var member1 = HubMember.Start(rejoined, TestHub.Settings() with { SeedNodes = [hub[1].Address] });
            await member1.WhenUp.WaitAsync(Patience);
            var again = HubSettlement.Start(member1, hubLightning, TimeProvider.System, Settings, bookId: book1).Open(rejoined, "node");
            var refused = await again.Ask<SettlementRejected>(new SettleInvoice(secret), Patience);
            Assert.Equal(SettlementRefusal.InvoiceAlreadySettled, refused.Reason);
            var next = Hash32.Random();
            var reissued = await again.Ask<InvoiceIssued>(IssueInvoice.Settled(next, 1_000, "next", TimeSpan.FromHours(1), 40), Patience);
            Assert.Equal(next.Sha256(), reissued.Invoice.PaymentHash);
            Assert.Equal(hubLightning.NodeId, reissued.Invoice.Payee);
        }
        finally
        {
            if (rejoined is not null) await rejoined.Terminate().WaitAsync(Patience);
        }
    }

    /// <summary>Each member's journal and snapshots on the one PostgreSQL database, and the settlement serializer bound.</summary>
    private static Config Shared(PostgreSqlServer server) =>
        ConfigurationFactory.ParseString(SettlementMessageSerializer.Hocon + "\nakka.loglevel = WARNING")
            .WithFallback(NodeConfig.WithPostgreSql(NodeConfig.Reference, server.ConnectionString));

    private static async Task<(long Hub, long Buyer, long Seller)> Balances(ILightningNode hub, ILightningNode buyer, ILightningNode seller) =>
        ((long)(await hub.GetBalanceAsync()).AvailableMsat, (long)(await buyer.GetBalanceAsync()).AvailableMsat, (long)(await seller.GetBalanceAsync()).AvailableMsat);

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met within " + Patience);
            await Task.Delay(100);
        }
    }
}
