using NBitcoin.DataEncoders;

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
/// Bech32 as specified by BIP-173 (the original constant 1, not bech32m), as used by BOLT 11. The checksum
/// and the character set are NBitcoin's; this class adds what a BOLT 11 reader reports (a stable reason
/// for each malformed string) and the 5-bit/8-bit conversion BOLT 11 fields need.
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

        foreach (var v in data)
        {
            if (v > 31)
            {
                throw new ArgumentException("Data values must be 5-bit values (0..31).", nameof(data));
            }
        }

        return Encoder(hrp.ToLowerInvariant()).EncodeData(data, Bech32EncodingType.BECH32);
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
        var separator = CheckLayout(bech32, maxLength);

        // Case is settled above, so NBitcoin gets the lower-case string (its own case check would refuse
        // an upper-case string whose human-readable part starts with a symbol).
        var lower = bech32.ToLowerInvariant();
        var hrp = lower[..separator];
        byte[] values;
        Bech32EncodingType? encoding;
        try
        {
            values = Encoder(hrp).DecodeDataRaw(lower, out encoding);
        }
        catch (FormatException)
        {
            throw new Bech32FormatException(Reasons.BadChecksum);
        }

        // A bech32m checksum (BIP-350) is a bad checksum here: BOLT 11 is bech32.
        if (encoding != Bech32EncodingType.BECH32)
        {
            throw new Bech32FormatException(Reasons.BadChecksum, "bech32m, not bech32");
        }

        return (hrp, values);
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

    // NBitcoin's encoder is bound to one human-readable part; BIP-173's 90 character limit is lifted
    // (StrictLength) because BOLT 11 has none and invoices are often longer.
    private static Bech32Encoder Encoder(string lowerHrp)
    {
        var encoder = Encoders.Bech32(lowerHrp);
        encoder.StrictLength = false;
        return encoder;
    }

    /// <summary>
    /// Everything but the checksum, each failure with its own reason (in BIP-173's order), so a reader can
    /// say what is wrong. Returns the separator's index.
    /// </summary>
    private static int CheckLayout(string bech32, int maxLength)
    {
        if (bech32.Length > maxLength)
        {
            throw new Bech32FormatException(Reasons.TooLong, $"{bech32.Length} > {maxLength} characters");
        }

        if (bech32.Any(char.IsAsciiLetterLower) && bech32.Any(char.IsAsciiLetterUpper))
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

        // Data characters are checked before the checksum's length so that e.g. "li1dgmt3" reports the
        // short checksum and "x1b4n0q5v" the bad character.
        for (var i = separator + 1; i < bech32.Length; i++)
        {
            if (!IsDataCharacter(bech32[i]))
            {
                throw new Bech32FormatException(Reasons.InvalidDataCharacter, $"'{bech32[i]}' at position {i}");
            }
        }

        if (bech32.Length - separator - 1 < ChecksumLength)
        {
            throw new Bech32FormatException(Reasons.ChecksumTooShort);
        }

        return separator;
    }

    private static bool IsDataCharacter(char c) => c < 128 && Charset.Contains(char.ToLowerInvariant(c));
}
