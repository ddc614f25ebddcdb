using System.Collections.Frozen;
using System.Collections.ObjectModel;

namespace SweetGossip.Lightning.Bolt11;

/// <summary>
/// The raw feature bit set of a BOLT 11 <c>9</c> field. Bit 0 is the least significant bit; even bits are
/// compulsory, odd bits optional ("it's OK to be odd").
/// </summary>
public sealed class Bolt11Features : IEquatable<Bolt11Features>
{
    /// <summary><c>var_onion_optin</c> (ASSUMED by BOLT 9 today).</summary>
    public const int VarOnionOptin = 8;

    /// <summary><c>payment_secret</c>.</summary>
    public const int PaymentSecret = 14;

    /// <summary><c>basic_mpp</c>; depends on <c>payment_secret</c>.</summary>
    public const int BasicMpp = 16;

    /// <summary><c>option_route_blinding</c>.</summary>
    public const int RouteBlinding = 24;

    /// <summary><c>option_payment_metadata</c>.</summary>
    public const int PaymentMetadata = 48;

    /// <summary>Highest bit a single <c>9</c> field can carry (1023 five-bit words).</summary>
    public const int MaxBit = (1023 * 5) - 1;

    /// <summary>Even (compulsory) bits this codec understands in the invoice context (BOLT 9 context <c>9</c>, plus the ASSUMED var_onion_optin).</summary>
    public static readonly IReadOnlySet<int> KnownCompulsoryBits =
        new[] { VarOnionOptin, PaymentSecret, BasicMpp, RouteBlinding, PaymentMetadata }.ToFrozenSet();

    private readonly int[] _bits;

    /// <summary>The empty feature set (no <c>9</c> field).</summary>
    public static Bolt11Features Empty { get; } = new([]);

    /// <summary>Creates a set with the given bits set.</summary>
    public Bolt11Features(IEnumerable<int> setBits)
    {
        ArgumentNullException.ThrowIfNull(setBits);
        var sorted = new SortedSet<int>();
        foreach (var bit in setBits)
        {
            if (bit < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(setBits), bit, "Feature bits are non-negative.");
            }

            sorted.Add(bit);
        }

        _bits = [.. sorted];
    }

    /// <summary>Creates a set with the given bits set.</summary>
    public static Bolt11Features Of(params int[] setBits) => new(setBits);

    /// <summary>The set bits in ascending order.</summary>
    public IReadOnlyList<int> SetBits => new ReadOnlyCollection<int>(_bits);

    /// <summary>True when no bit is set.</summary>
    public bool IsEmpty => _bits.Length == 0;

    /// <summary>Whether <paramref name="bit"/> is set.</summary>
    public bool IsSet(int bit) => bit >= 0 && Array.BinarySearch(_bits, bit) >= 0;

    /// <summary>Whether the feature whose pair contains <paramref name="bit"/> is offered, compulsory (even) or optional (odd).</summary>
    public bool Supports(int bit)
    {
        var even = bit & ~1;
        return IsSet(even) || IsSet(even + 1);
    }

    /// <summary>Even bits that are set but not in <see cref="KnownCompulsoryBits"/>: a reader must refuse to pay.</summary>
    public IReadOnlyList<int> UnknownCompulsoryBits()
        => _bits.Where(b => b % 2 == 0 && !KnownCompulsoryBits.Contains(b)).ToArray();

    /// <summary>A new set with <paramref name="bits"/> added.</summary>
    public Bolt11Features With(params int[] bits) => new(_bits.Concat(bits));

    /// <summary>Minimal big-endian 5-bit encoding (no leading zero words); empty for the empty set.</summary>
    internal byte[] ToWords()
    {
        if (_bits.Length == 0)
        {
            return [];
        }

        var highest = _bits[^1];
        var count = (highest / 5) + 1;
        var words = new byte[count];
        foreach (var bit in _bits)
        {
            var index = count - 1 - (bit / 5);
            words[index] |= (byte)(1 << (bit % 5));
        }

        return words;
    }

    /// <summary>Reads a big-endian 5-bit feature field.</summary>
    internal static Bolt11Features FromWords(ReadOnlySpan<byte> words)
    {
        var bits = new List<int>();
        for (var i = 0; i < words.Length; i++)
        {
            var shift = (words.Length - 1 - i) * 5;
            for (var b = 0; b < 5; b++)
            {
                if ((words[i] & (1 << b)) != 0)
                {
                    bits.Add(shift + b);
                }
            }
        }

        return new Bolt11Features(bits);
    }

    public bool Equals(Bolt11Features? other)
        => other is not null && _bits.AsSpan().SequenceEqual(other._bits);

    public override bool Equals(object? obj) => Equals(obj as Bolt11Features);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var bit in _bits)
        {
            hash.Add(bit);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => _bits.Length == 0 ? "{}" : "{" + string.Join(",", _bits) + "}";
}
