using System.Security.Cryptography;
using System.Text;
using SweetGossip.Lightning.Bolt11;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Lightning.Tests.Bolt11;

/// <summary>
/// Builds signed invoices field by field, bypassing the writer's checks, to exercise the reader on
/// inputs <see cref="Bolt11Codec.Encode(Bolt11Invoice, byte[])"/> refuses to produce.
/// </summary>
internal static class RawInvoice
{
    public const long Timestamp = 1_700_000_000;

    public static byte[] Words(byte[] bytes) => Bech32.ConvertBits(bytes, 8, 5, pad: true);

    public static byte[] Words(string text) => Words(Encoding.UTF8.GetBytes(text));

    public static (char Tag, byte[] Data) PaymentHash(byte fill = 0xaa) => ('p', Words(Filled(32, fill)));

    public static (char Tag, byte[] Data) PaymentSecret(byte fill = 0x11) => ('s', Words(Filled(32, fill)));

    public static (char Tag, byte[] Data) Description(string text = "test") => ('d', Words(text));

    public static (char Tag, byte[] Data) DescriptionHash() => ('h', Words(SHA256.HashData("long"u8.ToArray())));

    /// <summary>Features var_onion_optin and payment_secret, both compulsory (bits 8 and 14).</summary>
    public static (char Tag, byte[] Data) Features() => ('9', Bolt11Features.Of(8, 14).ToWords());

    public static (char Tag, byte[] Data)[] Minimal() => [PaymentSecret(), PaymentHash(), Description(), Features()];

    public static byte[] Filled(int length, byte fill)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, fill);
        return bytes;
    }

    /// <summary>Signs <paramref name="fields"/> as BOLT 11 prescribes; <paramref name="tamper"/> may alter r||s||recid.</summary>
    public static string Sign(
        string hrp,
        IEnumerable<(char Tag, byte[] Data)> fields,
        byte[] privateKey,
        long timestamp = Timestamp,
        Func<byte[], byte[]>? tamper = null)
    {
        var words = new List<byte>();
        for (var i = 6; i >= 0; i--)
        {
            words.Add((byte)((timestamp >> (5 * i)) & 31));
        }

        foreach (var (tag, data) in fields)
        {
            words.Add((byte)Bech32.Charset.IndexOf(tag));
            words.Add((byte)(data.Length >> 5));
            words.Add((byte)(data.Length & 31));
            words.AddRange(data);
        }

        var message = Encoding.UTF8.GetBytes(hrp).Concat(Bech32.ConvertBits(words.ToArray(), 5, 8, pad: true)).ToArray();
        var (signature, recoveryId) = RecoverableEcdsa.SignRecoverable(SHA256.HashData(message), privateKey);
        var signature65 = signature.Append((byte)recoveryId).ToArray();
        if (tamper is not null)
        {
            signature65 = tamper(signature65);
        }

        words.AddRange(Bech32.ConvertBits(signature65, 8, 5, pad: true));
        return Bech32.Encode(hrp, words.ToArray());
    }
}
