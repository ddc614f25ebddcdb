using Akka.Actor;
using Akka.TestKit.Xunit2;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Tests.Support;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Replies;
using SweetGossip.Protocol.Topics;

namespace SweetGossip.Node.Tests.Settlement;

/// <summary>
/// The settlement actor against a Lightning node that throws, hangs or goes away, across restarts: it refuses with a
/// typed reason and goes on (never restarted: its watchers survive), keeps notifications to those who watch each
/// hash, delivers a reply paid while it was down, and keeps its journal bounded with snapshots.
/// </summary>
public sealed class SettlementFaultTests : TestKit, IDisposable
{
    private const ulong Sat = 1000;
    private readonly TempDirectory _directory = new();
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(1_790_000_000));
    private readonly EmbeddedLightningNetwork _network;

    public SettlementFaultTests() : base(TestKitConfig.Hocon)
    {
        _network = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions { TimeProvider = _clock, Seed = 9 });
    }

    private static readonly SettlementSettings Quick = SettlementHarness.Settings with { LightningCallTimeout = TimeSpan.FromMilliseconds(300) };

    private ActorSystem NewSystem() => ActorSystem.Create("fault-" + Guid.NewGuid().ToString("N")[..8],
        NodeConfig.Build("akka.loglevel = WARNING\n" + TestKitConfig.Hocon, _directory.Path));

    [Fact]
    public async Task Lightning_failures_of_every_kind_are_refusals_and_never_restart_the_actor()
    {
        using var system = NewSystem();
        var payer = _network.CreateNode(100_000 * Sat);
        var flaky = new FlakyLightningNode(_network.CreateNode(0));
        var settlement = system.ActorOf(SettlementActor.Props("settlement-flaky", flaky, _clock, Quick));
        var preimage = Hash32.Random();
        var invoice = (await settlement.Ask<InvoiceIssued>(IssueInvoice.Settled(preimage, 5 * Sat, "x", TimeSpan.FromHours(1), 40), SettlementHarness.Timeout)).Invoice;
        var watcher = CreateTestProbe(system);
        settlement.Tell(new WatchPayment(preimage.Sha256(), watcher.Ref));
        var other = Hash32.Random();
        settlement.Tell(new WatchPayment(other.Sha256(), CreateTestProbe(system).Ref));

        foreach (var mode in new[] { FlakyLightningNode.Mode.Throwing, FlakyLightningNode.Mode.Hanging })
        {
            flaky.Behaviour = mode;
            Assert.Equal(SettlementRefusal.LightningFailure, (await settlement.Ask<SettlementRejected>(new IssueInvoice(Hash32.Random(), Sat, "", TimeSpan.FromHours(1), 40), SettlementHarness.Timeout)).Reason);
            // Lightning's trouble, not the invoice's: nobody is blamed for it.
            Assert.Equal(SettlementRefusal.LightningFailure, (await settlement.Ask<SettlementRejected>(new PayInvoice(invoice.PaymentRequest), SettlementHarness.Timeout)).Reason);
            Assert.Equal(SettlementRefusal.LightningFailure, (await settlement.Ask<SettlementRejected>(new DecodeInvoice(invoice.PaymentRequest), SettlementHarness.Timeout)).Reason);
        }

        // Working again: the payment it was watched for arrives and settles; the watcher (kept: no restart) hears of it.
        flaky.Behaviour = FlakyLightningNode.Mode.Working;
        var paid = await payer.PayAsync(invoice.PaymentRequest).WaitAsync(SettlementHarness.Timeout);
        Assert.True(paid.Succeeded, paid.ToString());
        var changes = new List<InvoiceChanged>();
        while (changes.LastOrDefault()?.State != RecordedInvoiceState.Settled)
            changes.Add(watcher.ExpectMsg<InvoiceChanged>(SettlementHarness.Timeout));
        Assert.All(changes, c => Assert.Equal(preimage.Sha256(), c.PaymentHash)); // keyed by hash: nothing about others
        Assert.Equal([RecordedInvoiceState.Accepted, RecordedInvoiceState.Settled], changes.Select(c => c.State));
    }

    [Fact]
    public async Task A_reply_paid_while_the_originator_was_down_is_handed_over_for_delivery_after_the_restart_and_only_once()
    {
        var originator = _network.CreateNode(100_000 * Sat);
        var replier = _network.CreateNode(0);
        var (purchase, preimage) = await BuyableReply(replier, 3_000 * Sat);

        var first = NewSystem();
        var settlement = first.ActorOf(SettlementActor.Props("settlement-rider", originator, _clock, SettlementHarness.Settings));
        var accepted = SettlementHarness.WhenInvoice(replier, purchase.Reply.PaymentHash, InvoiceState.Accepted);
        settlement.Tell(new PayInvoice(purchase.Reply.Invoice, new PaymentTerms(ExactAmountMsat: 3_000 * Sat, PaymentHash: purchase.Reply.PaymentHash), purchase));
        await accepted; // the HTLC is locked; the originator's process dies before the replier settles
        await first.Terminate();
        await replier.SettleInvoiceAsync(preimage);

        using var second = NewSystem();
        var recovered = second.ActorOf(SettlementActor.Props("settlement-rider", originator, _clock, SettlementHarness.Settings));
        var handler = CreateTestProbe(second);
        recovered.Tell(new AttachPurchaseHandler(handler.Ref));
        var paid = handler.ExpectMsg<ReplyPaid>(SettlementHarness.Timeout);
        Assert.Equal(preimage, paid.Preimage);
        Assert.Equal(3_000 * Sat, paid.PaidMsat);
        // What was journaled opens the reply: the same request, key and frame.
        Assert.Equal("on my way", ReplyOpener.OpenBody(paid.Purchase.Reply, paid.Purchase.ReplyKey, paid.Preimage, paid.Purchase.Request).Message);
        recovered.Tell(new MarkReplyDelivered(purchase.Reply.PaymentHash));
        var ledger = await SettlementActorTests.AwaitLedger(recovered, l => l[purchase.Reply.PaymentHash]?.Purchase?.Delivered == true);
        Assert.Empty(ledger.Active);

        // Delivered, it is not to be delivered again; a handler attaching later (the node after another restart)
        // gets it back marked as delivered, so the app's list of replies survives restarts.
        var later = CreateTestProbe(second);
        recovered.Tell(new AttachPurchaseHandler(later.Ref));
        var again = later.ExpectMsg<ReplyPaid>(SettlementHarness.Timeout);
        Assert.True(again.AlreadyDelivered);
        Assert.Equal(purchase.Reply.PaymentHash, again.Purchase.Reply.PaymentHash);
    }

    [Fact]
    public async Task Snapshots_drop_entries_finished_before_the_retention_and_recovery_reads_only_what_followed()
    {
        var settings = SettlementHarness.Settings with { SnapshotEvery = 10, Retention = TimeSpan.FromHours(1) };
        var payee = _network.CreateNode(0);
        var payer = _network.CreateNode(1_000_000 * Sat);
        List<Hash32> recent;
        using (var system = NewSystem())
        {
            var settlement = system.ActorOf(SettlementActor.Props("settlement-snap", payee, _clock, settings));
            await PaidInvoices(settlement, payer, 4); // 4 × 4 events: finished now
            _clock.Advance(TimeSpan.FromHours(2));
            recent = await PaidInvoices(settlement, payer, 4);
            settlement.Tell(SweepExpiredHolds.Instance); // snapshot: the first four are past retention
            await Eventually.Value(() => Task.FromResult(JournalRows("settlement-snap")), rows => rows < 10, SettlementHarness.Timeout);
            Assert.Equal(recent.ToHashSet(), (await settlement.Ask<SettlementLedger>(GetSettlementLedger.Instance, SettlementHarness.Timeout)).Entries.Keys.ToHashSet());
            await system.Terminate();
        }

        using var restarted = NewSystem();
        var recovered = restarted.ActorOf(SettlementActor.Props("settlement-snap", payee, _clock, settings));
        var ledger = await recovered.Ask<SettlementLedger>(GetSettlementLedger.Instance, SettlementHarness.Timeout);
        Assert.Equal(recent.ToHashSet(), ledger.Entries.Keys.ToHashSet());
        Assert.All(recent, h => Assert.Equal(RecordedInvoiceState.Settled, ledger.Invoice(h)!.State));
    }

    private async Task<List<Hash32>> PaidInvoices(IActorRef settlement, ILightningNode payer, int count)
    {
        var hashes = new List<Hash32>();
        for (var i = 0; i < count; i++)
        {
            var preimage = Hash32.Random();
            var invoice = (await settlement.Ask<InvoiceIssued>(IssueInvoice.Settled(preimage, Sat, "", TimeSpan.FromMinutes(10), 40), SettlementHarness.Timeout)).Invoice;
            Assert.True((await payer.PayAsync(invoice.PaymentRequest).WaitAsync(SettlementHarness.Timeout)).Succeeded);
            hashes.Add(preimage.Sha256());
        }
        await SettlementActorTests.AwaitLedger(settlement, l => hashes.All(h => l.Invoice(h)?.State == RecordedInvoiceState.Settled));
        return hashes;
    }

    private int JournalRows(string persistenceId)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_directory.Path, "journal.db")};Pooling=False");
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT COUNT(*) FROM event_journal WHERE persistence_id = $id AND is_deleted = 0";
        query.Parameters.AddWithValue("$id", persistenceId);
        return Convert.ToInt32(query.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A taxi topic's request and a certified driver's sealed reply to it, under an invoice the driver issued at Lightning.</summary>
    private static async Task<(ReplyPurchase Purchase, Hash32 Preimage)> BuyableReply(ILightningNode replier, ulong price)
    {
        var authority = new CertificateAuthority("Test Council", PrivateKey.Generate());
        var now = UnixTime.Truncate(DateTimeOffset.UtcNow);
        var rider = PrivateKey.Generate();
        var replyKey = PrivateKey.Generate();
        var request = SignedRequestPayload.Sign(new RequestPayload(PayloadId.New(), TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now),
            authority.Issue(rider.PublicKey, "rider", [], now.AddDays(-1), now.AddDays(1)), replyKey.PublicKey, now, now.AddMinutes(20)), rider);
        var driver = PrivateKey.Generate();
        var preimage = Hash32.Random();
        var sealedReply = ReplySealer.Seal(request, "on my way", "driver:9735", price, authority.Issue(driver.PublicKey, "taxi-driver", [], now.AddDays(-1), now.AddDays(1)), driver, preimage);
        var invoice = await replier.AddHoldInvoiceAsync(sealedReply.PaymentHash, price, "reply", TimeSpan.FromHours(1), 40);
        return (new ReplyPurchase(request, replyKey, sealedReply.ToFrame(invoice.PaymentRequest)), preimage);
    }

    void IDisposable.Dispose()
    {
        _network.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}
