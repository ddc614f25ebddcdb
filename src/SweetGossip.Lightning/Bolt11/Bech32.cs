using System.Text;

namespace SweetGossip.Lightning.Bolt11;

/// <summary>Thrown by <see cref="Bech32"/> when a string is not valid bech32.</summary>
public sealed class Bech32FormatException : FormatException
{
    public Bech32FormatException(string reason, string? detail = null)
        : base(detail is null ? reason : $"{reason}: {detail}")
    {
        Reason = reason;
    }

    /// <summary>Short, stable description of what is wrong (one of the <see cref="Bech32.Reasons"/> constants).</summary>
    public string Reason { get; }
}

/// <summary>
/// Bech32 as specified by BIP-173 (the original constant 1, not bech32m), as used by BOLT 11.
/// Unlike BIP-173 addresses there is no 90 character limit unless the caller asks for one.
/// </summary>
public static class Bech32
{
    /// <summary>The 32 data characters, indexed by their 5-bit value.</summary>
    public const string Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

    /// <summary>Number of characters of the checksum.</summary>
    public const int ChecksumLength = 6;

    /// <summary>Reason strings carried by <see cref="Bech32FormatException"/>.</summary>
    public static class Reasons
    {
        public const string MixedCase = "mixed case";
        public const string MissingSeparator = "missing separator";
        public const string EmptyHrp = "empty human-readable part";
        public const string InvalidHrpCharacter = "invalid human-readable part character";
        public const string InvalidDataCharacter = "invalid data character";
        public const string ChecksumTooShort = "checksum too short";
        public const string BadChecksum = "bad bech32 checksum";
        public const string TooLong = "string too long";
    }

    private static readonly uint[] Generator = [0x3b6a57b2u, 0x26508e6du, 0x1ea119fau, 0x3d4233ddu, 0x2a1462b3u];

    // Maps an ASCII code (lower case) to its 5-bit value, or -1.
    private static readonly sbyte[] CharsetReverse = BuildReverse();

    private static sbyte[] BuildReverse()
    {
        var table = new sbyte[128];
        Array.Fill(table, (sbyte)-1);
        for (var i = 0; i < Charset.Length; i++)
        {
            table[Charset[i]] = (sbyte)i;
        }

        return table;
    }

    /// <summary>Encodes <paramref name="hrp"/> and 5-bit <paramref name="data"/> values as a lower-case bech32 string.</summary>
    public static string Encode(string hrp, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(hrp);
        if (hrp.Length == 0)
        {
            throw new ArgumentException("The human-readable part must not be empty.", nameof(hrp));
        }

        foreach (var c in hrp)
        {
            if (c < 33 || c > 126)
            {
                throw new ArgumentException("The human-readable part contains a character outside US-ASCII 33..126.", nameof(hrp));
            }
        }

        var lowerHrp = hrp.ToLowerInvariant();
        foreach (var v in data)
        {
            if (v > 31)
            {
                throw new ArgumentException("Data values must be 5-bit values (0..31).", nameof(data));
            }
        }

        var checksum = CreateChecksum(lowerHrp, data);
        var sb = new StringBuilder(lowerHrp.Length + 1 + data.Length + ChecksumLength);
        sb.Append(lowerHrp).Append('1');
        foreach (var v in data)
        {
            sb.Append(Charset[v]);
        }

        foreach (var v in checksum)
        {
            sb.Append(Charset[v]);
        }

        return sb.ToString();
    }

    /// <summary>
    /// Decodes a bech32 string into its lower-case human-readable part and 5-bit data values (checksum removed).
    /// </summary>
    /// <param name="bech32">The string; all lower case or all upper case.</param>
    /// <param name="maxLength">Overall length limit; BIP-173 addresses use 90, BOLT 11 uses none.</param>
    /// <exception cref="Bech32FormatException">The string is not valid bech32.</exception>
    public static (string Hrp, byte[] Data) Decode(string bech32, int maxLength = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(bech32);
        if (bech32.Length > maxLength)
        {
            throw new Bech32FormatException(Reasons.TooLong, $"{bech32.Length} > {maxLength} characters");
        }

        var hasLower = false;
        var hasUpper = false;
        foreach (var c in bech32)
        {
            if (c is >= 'a' and <= 'z')
            {
                hasLower = true;
            }
            else if (c is >= 'A' and <= 'Z')
            {
                hasUpper = true;
            }
        }

        if (hasLower && hasUpper)
        {
            throw new Bech32FormatException(Reasons.MixedCase);
        }

        var separator = bech32.LastIndexOf('1');
        if (separator < 0)
        {
            throw new Bech32FormatException(Reasons.MissingSeparator);
        }

        if (separator == 0)
        {
            throw new Bech32FormatException(Reasons.EmptyHrp);
        }

        for (var i = 0; i < separator; i++)
        {
            var c = bech32[i];
            if (c < 33 || c > 126)
            {
                throw new Bech32FormatException(Reasons.InvalidHrpCharacter, $"code {(int)c} at position {i}");
            }
        }

        var dataLength = bech32.Length - separator - 1;
        if (dataLength < ChecksumLength)
        {
            // Checked before the data characters so that e.g. "li1dgmt3" reports the short checksum.
            for (var i = separator + 1; i < bech32.Length; i++)
            {
                if (ValueOf(bech32[i]) < 0)
                {
                    throw new Bech32FormatException(Reasons.InvalidDataCharacter, $"'{bech32[i]}' at position {i}");
                }
            }

            throw new Bech32FormatException(Reasons.ChecksumTooShort);
        }

        var values = new byte[dataLength];
        for (var i = 0; i < dataLength; i++)
        {
            var c = bech32[separator + 1 + i];
            var v = ValueOf(c);
            if (v < 0)
            {
                throw new Bech32FormatException(Reasons.InvalidDataCharacter, $"'{c}' at position {separator + 1 + i}");
            }

            values[i] = (byte)v;
        }

        var hrp = bech32[..separator].ToLowerInvariant();
        if (!VerifyChecksum(hrp, values))
        {
            throw new Bech32FormatException(Reasons.BadChecksum);
        }

        return (hrp, values[..^ChecksumLength]);
    }

    /// <summary>Non-throwing variant of <see cref="Decode"/>.</summary>
    public static bool TryDecode(string bech32, out string hrp, out byte[] data, int maxLength = int.MaxValue)
    {
        try
        {
            (hrp, data) = Decode(bech32, maxLength);
            return true;
        }
        catch (Bech32FormatException)
        {
            hrp = string.Empty;
            data = [];
            return false;
        }
    }

    /// <summary>
    /// General power-of-two base conversion (BIP-173 <c>convertbits</c>). With <paramref name="pad"/> the last group
    /// is zero-padded; without it, leftover bits must be fewer than <paramref name="fromBits"/> and all zero.
    /// </summary>
    /// <exception cref="FormatException">An input value is out of range, or the padding is invalid.</exception>
    public static byte[] ConvertBits(ReadOnlySpan<byte> data, int fromBits, int toBits, bool pad)
    {
        if (fromBits is < 1 or > 8 || toBits is < 1 or > 8)
        {
            throw new ArgumentOutOfRangeException(nameof(fromBits), "Bit widths must be between 1 and 8.");
        }

        var acc = 0;
        var bits = 0;
        var maxValue = (1 << toBits) - 1;
        var maxAcc = (1 << (fromBits + toBits - 1)) - 1;
        var result = new List<byte>((data.Length * fromBits / toBits) + 1);
        foreach (var value in data)
        {
            if (value >> fromBits != 0)
            {
                throw new FormatException($"Value {value} does not fit in {fromBits} bits.");
            }

            acc = ((acc << fromBits) | value) & maxAcc;
            bits += fromBits;
            while (bits >= toBits)
            {
                bits -= toBits;
                result.Add((byte)((acc >> bits) & maxValue));
            }
        }

        if (pad)
        {
            if (bits > 0)
            {
                result.Add((byte)((acc << (toBits - bits)) & maxValue));
            }
        }
        else if (bits >= fromBits || ((acc << (toBits - bits)) & maxValue) != 0)
        {
            throw new FormatException("Invalid padding in bit conversion.");
        }

        return result.ToArray();
    }

    private static int ValueOf(char c)
    {
        if (c >= 128)
        {
            return -1;
        }

        return CharsetReverse[char.ToLowerInvariant(c)];
    }

    private static uint PolyMod(ReadOnlySpan<byte> hrpExpanded, ReadOnlySpan<byte> values, int trailingZeros)
    {
        uint chk = 1;
        foreach (var v in hrpExpanded)
        {
            chk = Step(chk, v);
        }

        foreach (var v in values)
        {
            chk = Step(chk, v);
        }

        for (var i = 0; i < trailingZeros; i++)
        {
            chk = Step(chk, 0);
        }

        return chk;
    }

    private static uint Step(uint chk, byte value)
    {
        var top = chk >> 25;
        chk = ((chk & 0x1ffffffu) << 5) ^ value;
        for (var i = 0; i < 5; i++)
        {
            if (((top >> i) & 1) != 0)
            {
                chk ^= Generator[i];
            }
        }

        return chk;
    }

    private static byte[] ExpandHrp(string hrp)
    {
        var result = new byte[(hrp.Length * 2) + 1];
        for (var i = 0; i < hrp.Length; i++)
        {
            result[i] = (byte)(hrp[i] >> 5);
            result[hrp.Length + 1 + i] = (byte)(hrp[i] & 31);
        }

        return result;
    }

    private static bool VerifyChecksum(string hrp, ReadOnlySpan<byte> valuesWithChecksum)
        => PolyMod(ExpandHrp(hrp), valuesWithChecksum, 0) == 1;

    private static byte[] CreateChecksum(string hrp, ReadOnlySpan<byte> data)
    {
        var mod = PolyMod(ExpandHrp(hrp), data, ChecksumLength) ^ 1;
        var checksum = new byte[ChecksumLength];
        for (var i = 0; i < ChecksumLength; i++)
        {
            checksum[i] = (byte)((mod >> (5 * (5 - i))) & 31);
        }

        return checksum;
    }
}
