using System.Text;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using SweetGossip.Lightning.Bolt11;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Embedded;

/// <summary>
/// The embedded network's payment requests: BOLT 11 invoices on regtest (<c>lnbcrt…</c>) with the fields
/// s (payment secret), p (payment hash), d (memo), n (payee node id), x (expiry), c (min_final_cltv_expiry)
/// and 9 (features: var_onion_optin, payment_secret), in the codec's canonical order.
/// Signed: the payee node's recoverable ECDSA signature, via <see cref="Bolt11Codec.Encode"/>; any BOLT 11
/// reader accepts it. Unsigned: the identical fields followed by an all-zero signature; only the issuing
/// embedded network, which finds its invoices by their exact string, accepts it.
/// </summary>
internal static class EmbeddedPaymentRequests
{
    private const byte TagPaymentHash = 1; // p
    private const byte TagFeatures = 5; // 9
    private const byte TagExpiry = 6; // x
    private const byte TagDescription = 13; // d
    private const byte TagPaymentSecret = 16; // s
    private const byte TagPayeeNodeId = 19; // n
    private const byte TagMinFinalCltvExpiry = 24; // c
    private const int SignatureWords = 104; // 65 bytes

    private static readonly BigInteger N = CustomNamedCurves.GetByName("secp256k1").N;
    private static readonly Bolt11Features Features = Bolt11Features.Of(Bolt11Features.VarOnionOptin, Bolt11Features.PaymentSecret);
    private static readonly byte[] FeatureWords = Features.ToWords();
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool IsValidSecretKey(ReadOnlySpan<byte> secret)
    {
        var k = new BigInteger(1, secret);
        return k.SignValue > 0 && k.CompareTo(N) < 0;
    }

    public static string Encode(
        bool sign,
        EmbeddedLightningNode node,
        Hash32 paymentHash,
        ulong amountMsat,
        string memo,
        DateTimeOffset createdAt,
        ulong expirySeconds,
        int cltvExpiryDelta,
        ReadOnlySpan<byte> paymentSecret)
    {
        if (sign)
        {
            return Bolt11Codec.Encode(
                new Bolt11Invoice
                {
                    Network = LightningNetwork.Regtest,
                    AmountMsat = amountMsat,
                    Timestamp = createdAt,
                    PaymentHash = paymentHash.ToArray(),
                    PaymentSecret = paymentSecret.ToArray(),
                    Description = memo,
                    PayeeNodeId = node.NodeId.ToBytes(),
                    ExplicitPayeeNodeId = true,
                    ExpirySeconds = expirySeconds,
                    MinFinalCltvExpiry = (ulong)cltvExpiryDelta,
                    Features = Features,
                },
                node.SecretKey);
        }

        // The same words Bolt11Codec.Encode writes for the invoice above, without hashing and signing them.
        var words = new List<byte>(420);
        var timestamp = (ulong)createdAt.ToUnixTimeSeconds();
        for (var i = 6; i >= 0; i--)
        {
            words.Add((byte)((timestamp >> (5 * i)) & 31));
        }

        AppendField(words, TagPaymentSecret, ToWords(paymentSecret));
        AppendField(words, TagPaymentHash, ToWords(paymentHash.ToArray()));
        AppendField(words, TagDescription, ToWords(StrictUtf8.GetBytes(memo)));
        AppendField(words, TagPayeeNodeId, ToWords(node.NodeId.ToBytes()));
        if (expirySeconds != Bolt11Invoice.DefaultExpirySeconds)
        {
            AppendField(words, TagExpiry, MinimalWords(expirySeconds));
        }

        if ((ulong)cltvExpiryDelta != Bolt11Invoice.DefaultMinFinalCltvExpiry)
        {
            AppendField(words, TagMinFinalCltvExpiry, MinimalWords((ulong)cltvExpiryDelta));
        }

        AppendField(words, TagFeatures, FeatureWords);
        for (var i = 0; i < SignatureWords; i++)
        {
            words.Add(0);
        }

        var hrp = LightningNetwork.Regtest.InvoicePrefix() + Bolt11Amount.Encode(amountMsat);
        return Bech32.Encode(hrp, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(words));
    }

    /// <summary>Decodes and verifies a signed BOLT 11 regtest invoice (one not issued by this network, or not byte-identical).</summary>
    public static bool TryDecode(string request, out DecodedPaymentRequest? decoded, out string? error)
    {
        decoded = null;
        if (!Bolt11Codec.TryDecode(request, out var invoice, out error))
        {
            return false;
        }

        if (invoice!.Network != LightningNetwork.Regtest)
        {
            error = $"the embedded network is regtest (lnbcrt); this invoice is for {invoice.Network}";
            return false;
        }

        if (!LightningNodeId.TryFromBytes(invoice.PayeeNodeId, out var payee))
        {
            error = "invalid payee node id";
            return false;
        }

        decoded = new DecodedPaymentRequest(
            payee,
            Hash32.FromSpan(invoice.PaymentHash),
            invoice.AmountMsat ?? 0,
            invoice.Description ?? string.Empty,
            invoice.Timestamp,
            invoice.ExpiresAt,
            (int)Math.Min(invoice.MinFinalCltvExpiry, int.MaxValue));
        return true;
    }

    private static byte[] ToWords(ReadOnlySpan<byte> bytes) => Bech32.ConvertBits(bytes, 8, 5, pad: true);

    private static byte[] MinimalWords(ulong value)
    {
        Span<byte> buffer = stackalloc byte[13];
        var count = 0;
        while (value != 0)
        {
            buffer[count++] = (byte)(value & 31);
            value >>= 5;
        }

        var words = new byte[count];
        for (var i = 0; i < count; i++)
        {
            words[i] = buffer[count - 1 - i];
        }

        return words;
    }

    private static void AppendField(List<byte> words, byte type, byte[] data)
    {
        words.Add(type);
        words.Add((byte)(data.Length >> 5));
        words.Add((byte)(data.Length & 31));
        words.AddRange(data);
    }
}
