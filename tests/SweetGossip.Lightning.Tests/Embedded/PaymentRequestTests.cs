using SweetGossip.Lightning.Bolt11;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;
using static SweetGossip.Lightning.Tests.Embedded.LightningTestKit;

namespace SweetGossip.Lightning.Tests.Embedded;

/// <summary>The embedded network's invoices are BOLT 11 regtest invoices, signed by the payee node unless turned off.</summary>
public sealed class PaymentRequestTests
{
    [Fact]
    public async Task Signed_invoices_are_valid_bolt11_with_every_term()
    {
        using var kit = new LightningTestKit(signInvoices: true);
        var payee = kit.Node();
        var (_, hash) = NewSecret(1);
        var invoice = await payee.AddHoldInvoiceAsync(hash, 123_456, "taxi to the airport", TimeSpan.FromSeconds(600), 58);

        Assert.StartsWith("lnbcrt1234560p1", invoice.PaymentRequest);
        var decoded = Bolt11Codec.Decode(invoice.PaymentRequest);

        Assert.Equal(LightningNetwork.Regtest, decoded.Network);
        Assert.Equal(123_456UL, decoded.AmountMsat);
        Assert.Equal(invoice.CreatedAt, decoded.Timestamp);
        Assert.Equal(invoice.ExpiresAt, decoded.ExpiresAt);
        Assert.Equal(hash.ToArray(), decoded.PaymentHash);
        Assert.Equal(32, decoded.PaymentSecret!.Length);
        Assert.Equal("taxi to the airport", decoded.Description);
        Assert.Equal(payee.NodeId.ToBytes(), decoded.PayeeNodeId);
        Assert.Equal(600UL, decoded.ExpirySeconds);
        Assert.Equal(58UL, decoded.MinFinalCltvExpiry);
        Assert.True(decoded.Features.IsSet(Bolt11Features.PaymentSecret));
    }

    [Fact]
    public async Task Unsigned_invoices_have_the_same_fields_and_a_zero_signature()
    {
        // Same seed: same node keys and payment secrets, so the two strings differ only in the signature.
        using var signedKit = new LightningTestKit(signInvoices: true, seed: 9);
        using var unsignedKit = new LightningTestKit(signInvoices: false, seed: 9);
        var (_, hash) = NewSecret(1);
        var signed = (await Invoice(signedKit.Node(), hash, 777_000, TimeSpan.FromMinutes(7), 40)).PaymentRequest;
        var unsigned = (await Invoice(unsignedKit.Node(), hash, 777_000, TimeSpan.FromMinutes(7), 40)).PaymentRequest;

        var (signedHrp, signedData) = Bech32.Decode(signed);
        var (unsignedHrp, unsignedData) = Bech32.Decode(unsigned);
        Assert.Equal(signedHrp, unsignedHrp);
        Assert.Equal(signedData.Length, unsignedData.Length);
        Assert.Equal(signedData[..^104], unsignedData[..^104]);
        Assert.All(unsignedData[^104..], w => Assert.Equal(0, w));

        var e = Assert.Throws<Bolt11FormatException>(() => Bolt11Codec.Decode(unsigned));
        Assert.Equal(Bolt11Reasons.SignatureMismatch, e.Reason);
    }

    [Fact]
    public async Task An_unsigned_invoice_is_payable_only_in_its_own_network()
    {
        using var kit = new LightningTestKit(signInvoices: false);
        using var other = new LightningTestKit(signInvoices: false);
        var (payer, payee) = (kit.Node(), kit.Node());
        var stranger = other.Node();
        var (preimage, hash) = NewSecret(1);
        var invoice = await Invoice(payee, hash);

        Assert.Equal(PaymentFailureReason.InvalidInvoice, (await stranger.PayAsync(invoice.PaymentRequest)).FailureReason);

        var payment = payer.PayAsync(invoice.PaymentRequest);
        await payee.SettleInvoiceAsync(preimage);
        Assert.True((await payment).Succeeded);
    }

    [Fact]
    public async Task A_signed_invoice_in_another_spelling_is_decoded_verified_and_paid()
    {
        using var kit = new LightningTestKit(signInvoices: true);
        var (payer, payee) = (kit.Node(), kit.Node());
        var (preimage, hash) = NewSecret(1);
        var invoice = await Invoice(payee, hash, 5_000);
        var upper = "lightning:" + invoice.PaymentRequest.ToUpperInvariant();

        var decoded = await payer.DecodePaymentRequestAsync(upper);
        var payment = payer.PayAsync(upper);
        await payee.SettleInvoiceAsync(preimage);

        Assert.Equal(payee.NodeId, decoded.Payee);
        Assert.Equal(hash, decoded.PaymentHash);
        Assert.Equal(5_000UL, decoded.AmountMsat);
        Assert.True((await payment).Succeeded);
        kit.AssertConserved();
    }

    [Fact]
    public async Task Foreign_invoices_that_do_not_fit_the_network_are_refused()
    {
        using var kit = new LightningTestKit(signInvoices: true);
        var (payer, payee) = (kit.Node(), kit.Node());
        var (_, hash) = NewSecret(1);
        await Invoice(payee, hash, 5_000);
        var outsider = PrivateKey.FromHex("00000000000000000000000000000000000000000000000000000000000000aa");

        string Sign(PrivateKey key, LightningNetwork network, ulong? amount, Hash32 paymentHash) => Bolt11Codec.Encode(
            new Bolt11Invoice
            {
                Network = network,
                AmountMsat = amount,
                Timestamp = kit.Clock.GetUtcNow(),
                PaymentHash = paymentHash.ToArray(),
                PaymentSecret = new byte[32],
                Description = "x",
                Features = Bolt11Features.Of(Bolt11Features.VarOnionOptin, Bolt11Features.PaymentSecret),
            },
            key.ToBytes());

        async Task<PaymentFailureReason?> Pay(string request) => (await payer.PayAsync(request)).FailureReason;

        Assert.Equal(PaymentFailureReason.InvalidInvoice, await Pay(Sign(payee.PrivateKey, LightningNetwork.Mainnet, 5_000, hash)));
        Assert.Equal(PaymentFailureReason.InvalidInvoice, await Pay(Sign(payee.PrivateKey, LightningNetwork.Regtest, null, hash)));
        Assert.Equal(PaymentFailureReason.InvalidInvoice, await Pay(Sign(payee.PrivateKey, LightningNetwork.Regtest, 4_000, hash)));
        Assert.Equal(PaymentFailureReason.InvalidInvoice, await Pay(Sign(payee.PrivateKey, LightningNetwork.Regtest, 5_000, NewSecret(2).Hash)));
        Assert.Equal(PaymentFailureReason.UnknownPayee, await Pay(Sign(outsider, LightningNetwork.Regtest, 5_000, hash)));

        // The payee's own, correctly signed re-encoding of its invoice is payable.
        var held = payer.PayAsync(Sign(payee.PrivateKey, LightningNetwork.Regtest, 5_000, hash));
        Assert.False(held.IsCompleted);
        Assert.Equal(InvoiceState.Accepted, (await payee.LookupInvoiceAsync(hash)).State);
        await payee.CancelInvoiceAsync(hash);
        Assert.Equal(PaymentFailureReason.PayeeCancelled, (await held).FailureReason);
        kit.AssertConserved();
    }
}
