using System.Globalization;

namespace SweetGossip.Lightning.Bolt11;

/// <summary>
/// The <c>amount</c> of a BOLT 11 human-readable part: a decimal number of bitcoin followed by an optional
/// multiplier <c>m</c> (10^-3), <c>u</c> (10^-6), <c>n</c> (10^-9) or <c>p</c> (10^-12).
/// </summary>
public static class Bolt11Amount
{
    private const ulong MsatPerBtc = 100_000_000_000UL;

    /// <summary>
    /// Shortest encoding of <paramref name="amountMsat"/>: the largest multiplier that represents it exactly,
    /// or none for whole bitcoins. Pico amounts always end in 0.
    /// </summary>
    public static string Encode(ulong amountMsat)
    {
        if (amountMsat == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amountMsat), "A BOLT 11 amount must be positive; omit the amount instead.");
        }

        if (amountMsat % MsatPerBtc == 0)
        {
            return Format(amountMsat / MsatPerBtc, string.Empty);
        }

        if (amountMsat % 100_000_000UL == 0)
        {
            return Format(amountMsat / 100_000_000UL, "m");
        }

        if (amountMsat % 100_000UL == 0)
        {
            return Format(amountMsat / 100_000UL, "u");
        }

        if (amountMsat % 100UL == 0)
        {
            return Format(amountMsat / 100UL, "n");
        }

        // 1 msat = 10 pico-bitcoin; the result always ends in 0 as required.
        return ((UInt128)amountMsat * 10).ToString(CultureInfo.InvariantCulture) + "p";
    }

    /// <summary>Parses an amount (digits and optional multiplier, lower case) to millisatoshi.</summary>
    /// <exception cref="Bolt11FormatException">The amount is malformed, not a whole number of msat, or too large.</exception>
    public static ulong Decode(string amount)
    {
        ArgumentNullException.ThrowIfNull(amount);
        if (amount.Length == 0)
        {
            throw new Bolt11FormatException(Bolt11Reasons.InvalidAmount, "empty amount");
        }

        var last = amount[^1];
        var digits = amount;
        char? multiplier = null;
        if (!IsDigit(last))
        {
            if (last is not ('m' or 'u' or 'n' or 'p'))
            {
                throw new Bolt11FormatException(Bolt11Reasons.InvalidMultiplier, $"'{last}' in \"{amount}\"");
            }

            multiplier = last;
            digits = amount[..^1];
        }

        if (digits.Length == 0)
        {
            throw new Bolt11FormatException(Bolt11Reasons.InvalidAmount, $"no digits in \"{amount}\"");
        }

        UInt128 value = 0;
        foreach (var c in digits)
        {
            if (!IsDigit(c))
            {
                throw new Bolt11FormatException(Bolt11Reasons.InvalidAmount, $"non-digit '{c}' in \"{amount}\"");
            }

            if (value > (UInt128.MaxValue - 9) / 10)
            {
                throw new Bolt11FormatException(Bolt11Reasons.InvalidAmount, $"\"{amount}\" is too large");
            }

            value = (value * 10) + (uint)(c - '0');
        }

        UInt128 msat;
        switch (multiplier)
        {
            case null:
                msat = Multiply(value, MsatPerBtc, amount);
                break;
            case 'm':
                msat = Multiply(value, 100_000_000UL, amount);
                break;
            case 'u':
                msat = Multiply(value, 100_000UL, amount);
                break;
            case 'n':
                msat = Multiply(value, 100UL, amount);
                break;
            default:
                if (value % 10 != 0)
                {
                    throw new Bolt11FormatException(Bolt11Reasons.InvalidPicoAmount, $"\"{amount}\" is not a whole number of millisatoshi");
                }

                msat = value / 10;
                break;
        }

        if (msat == 0)
        {
            // Writers must use a positive amount; "any amount" is written by omitting it.
            throw new Bolt11FormatException(Bolt11Reasons.InvalidAmount, $"\"{amount}\" is zero");
        }

        if (msat > ulong.MaxValue)
        {
            throw new Bolt11FormatException(Bolt11Reasons.InvalidAmount, $"\"{amount}\" is too large");
        }

        return (ulong)msat;
    }

    private static UInt128 Multiply(UInt128 value, ulong factor, string amount)
    {
        if (value > UInt128.MaxValue / factor)
        {
            throw new Bolt11FormatException(Bolt11Reasons.InvalidAmount, $"\"{amount}\" is too large");
        }

        return value * factor;
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static string Format(ulong value, string multiplier)
        => value.ToString(CultureInfo.InvariantCulture) + multiplier;
}
