namespace SweetGossip.Protocol.Crypto;

/// <summary>Hex encoding of keys and hashes, with errors that say what is wrong with the input.</summary>
public static class Hex
{
    /// <summary>Decodes upper- or lowercase hex (no "0x" prefix, no separators).</summary>
    public static byte[] Decode(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length % 2 != 0)
        {
            throw new CryptoFormatException($"hex string has odd length {hex.Length}");
        }

        var bytes = new byte[hex.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            var high = Nibble(hex, 2 * i);
            var low = Nibble(hex, 2 * i + 1);
            bytes[i] = (byte)((high << 4) | low);
        }

        return bytes;
    }

    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    private static int Nibble(string hex, int index)
    {
        var c = hex[index];
        return c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => throw new CryptoFormatException(
                $"hex string has invalid character {Describe(c)} at index {index}"),
        };
    }

    // Control and non-ASCII characters would be invisible or confusing in an error message.
    private static string Describe(char c) =>
        c is >= ' ' and <= '~' ? $"'{c}'" : $"U+{(int)c:X4}";
}
