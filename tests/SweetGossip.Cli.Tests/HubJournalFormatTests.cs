using System.Runtime.Serialization;
using SweetGossip.LightningHub;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cli.Tests;

/// <summary>The hub's journal format: every event and a snapshot read back as written; bytes that are not a record are refused.</summary>
public class HubJournalFormatTests
{
    private static readonly HubEventSerializer Serializer = new(null!);

    [Fact]
    public void Every_event_reads_back_as_it_was_written()
    {
        var at = new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567);
        var key = PrivateKey.Generate();
        var invoice = new HoldInvoice("lnbcrt1…", Hash32.Random(), 21_000, at.AddTicks(-1234567), at.AddMinutes(30), 40, LightningNodeId.FromPrivateKey(key));
        HubEvent[] events =
        [
            new HubInvoiceAdded(at, 3, invoice, "ride to the airport"),
            new HubPaymentSent(at, 1, "lnbcrt1…"),
            new HubInvoiceSettled(at, 2, Hash32.Random()),
            new HubInvoiceCancelled(at, 0, Hash32.Random()),
            new HubDeadlinesApplied(at),
        ];
        foreach (var e in events)
            Assert.Equal(e, RoundTrip(e));

        var opened = (HubNodeOpened)RoundTrip(new HubNodeOpened(at, "m1", key, 5_000));
        Assert.Equal((at, "m1", 5_000UL), (opened.At, opened.Name, opened.OpeningBalanceMsat));
        Assert.Equal(key.ToBytes(), opened.Key.ToBytes());
    }

    [Fact]
    public async Task A_snapshot_of_a_network_with_held_settled_and_failed_payments_reads_back_as_it_was_written()
    {
        using var network = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions { Seed = 9 });
        var (payee, payer) = (network.CreateNode(0), network.CreateNode(100_000));
        var (held, settled, cancelled) = (Hash32.Random(), Hash32.Random(), Hash32.Random());
        foreach (var preimage in new[] { held, settled, cancelled })
            _ = payer.PayAsync((await payee.AddHoldInvoiceAsync(preimage.Sha256(), 1_000, "", TimeSpan.FromMinutes(5), 18)).PaymentRequest);
        await payee.SettleInvoiceAsync(settled);
        await payee.CancelInvoiceAsync(cancelled.Sha256());
        var histories = new Dictionary<Hash32, IReadOnlyList<InvoiceState>> { [held.Sha256()] = [InvoiceState.Open, InvoiceState.Accepted] };
        var snapshot = new HubSnapshot(DateTimeOffset.UtcNow, network.Export(), [new HubNodeImage("payee", 0, histories), new HubNodeImage("payer", 100_000, new Dictionary<Hash32, IReadOnlyList<InvoiceState>>())]);

        var read = (HubSnapshot)Serializer.FromBinary(Serializer.ToBinary(snapshot), Serializer.Manifest(snapshot));

        Assert.Equal(snapshot.Clock, read.Clock);
        Assert.Equal(snapshot.Network.Ledger.Accounts, read.Network.Ledger.Accounts);
        Assert.Equal(snapshot.Network.Ledger.Invoices, read.Network.Ledger.Invoices);
        Assert.Equal((snapshot.Network.Ledger.DepositedMsat, snapshot.Network.Ledger.RoutingFeesMsat), (read.Network.Ledger.DepositedMsat, read.Network.Ledger.RoutingFeesMsat));
        Assert.Equal(snapshot.Network.Payments.OrderBy(p => p.PaymentHash.ToHex()), read.Network.Payments.OrderBy(p => p.PaymentHash.ToHex()));
        Assert.Equal(snapshot.Network.NodeKeys.Select(k => k.ToBytes()), read.Network.NodeKeys.Select(k => k.ToBytes()));
        Assert.Equal(["payee", "payer"], read.Nodes.Select(n => n.Name));
        Assert.Equal([InvoiceState.Open, InvoiceState.Accepted], read.Nodes[0].Histories[held.Sha256()]);
    }

    [Fact]
    public void Bytes_that_are_not_a_record_are_refused()
    {
        Assert.Throws<SerializationException>(() => Serializer.FromBinary([0x0a, 0xff, 0x01], "he1"));
        Assert.Throws<SerializationException>(() => Serializer.FromBinary([], "he1")); // no event in it
        Assert.Throws<SerializationException>(() => Serializer.FromBinary([], "zz9"));
        var settled = Serializer.ToBinary(new HubInvoiceSettled(DateTimeOffset.UnixEpoch, 0, Hash32.Random()));
        Assert.Throws<SerializationException>(() => Serializer.FromBinary(settled[..^1], "he1")); // a 31-byte preimage
    }

    private static HubEvent RoundTrip(HubEvent e) => (HubEvent)Serializer.FromBinary(Serializer.ToBinary(e), Serializer.Manifest(e));
}
