using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Wire;

/// <summary>
/// Signed requests decoded recently, found again by their signature. A relay decodes every request at least twice
/// (the ask, then the broadcast that redeems the favour) and again for each peer that offers it before the broadcast
/// arrives; parsing the payload (certificate, topic, keys) and hashing it was the largest part of decoding a frame.
/// </summary>
internal static class DecodedRequests
{
    internal const int Capacity = 4_096;

    /// <summary>
    /// Larger requests are decoded afresh each time: a real one weighs about 300 bytes (a certificate without properties,
    /// a taxi topic, two keys; under 1 KB, tested), and nothing is verified before it is remembered, so a peer padding asks with unknown
    /// fields to 64 KB under random signatures would otherwise have its bytes kept here.
    /// </summary>
    internal const int MaxEntryBytes = 4 * 1024;

    /// <summary>All remembered requests together: room for the capacity at real weights (4,096 x ~500 bytes = 2 MB), twice over.</summary>
    internal const long MaxBytes = 4 * 1024 * 1024;

    // A request holds its payload bytes and, inside the parsed payload, its certificate's body bytes (a copy unless shared).
    private static readonly DecodedMemory<SignedRequestPayload> Memory = new(Capacity, MaxEntryBytes, MaxBytes, r => r.PayloadBytes, r => r.OriginatorSignature,
        r => r.PayloadBytes.Length + r.Payload.OriginatorCertificate.BodyBytes.Length);

    internal static int Count => Memory.Count;

    internal static long WeightInBytes => Memory.WeightInBytes;

    /// <summary>Entries kept before the memory starts over; lowered only by tests (a tiny memory must change no result).</summary>
    internal static int CapacityNow { get => Memory.Capacity; set => Memory.Capacity = value; }

    public static bool TryGet(ReadOnlySpan<byte> payloadBytes, ReadOnlySpan<byte> signature, [NotNullWhen(true)] out SignedRequestPayload? request) =>
        Memory.TryGet(payloadBytes, signature, out request);

    public static void Add(SignedRequestPayload request) => Memory.Add(request);
}

/// <summary>
/// Certificates decoded recently, found again by their authority's signature: the same originators and drivers come back
/// topic after topic, each request carrying its originator's certificate.
/// </summary>
internal static class DecodedCertificates
{
    internal const int Capacity = 4_096;

    /// <summary>A real certificate body weighs about 150 bytes; padded ones are decoded afresh (see <see cref="DecodedRequests.MaxEntryBytes"/>).</summary>
    internal const int MaxEntryBytes = 4 * 1024;

    internal const long MaxBytes = 2 * 1024 * 1024;

    private static readonly DecodedMemory<SignedCertificate> Memory = new(Capacity, MaxEntryBytes, MaxBytes, c => c.BodyBytes, c => c.Signature, c => c.BodyBytes.Length);

    internal static int Count => Memory.Count;

    internal static long WeightInBytes => Memory.WeightInBytes;

    /// <summary>Entries kept before the memory starts over; lowered only by tests.</summary>
    internal static int CapacityNow { get => Memory.Capacity; set => Memory.Capacity = value; }

    public static bool TryGet(ReadOnlySpan<byte> bodyBytes, ReadOnlySpan<byte> signature, [NotNullWhen(true)] out SignedCertificate? certificate) =>
        Memory.TryGet(bodyBytes, signature, out certificate);

    public static void Add(SignedCertificate certificate) => Memory.Add(certificate);
}

/// <summary>
/// Signed things (signed bytes + a 64-byte signature) the decoder made before. A hit is returned only for the very same
/// signature and signed bytes, which decode to an equal value (decoding is deterministic and the values are immutable),
/// so sharing the instance is safe; anything else is decoded, checked and verified afresh. Bounded in entries and in bytes
/// (it is filled before any signature is checked, so by anyone): it starts over when either is full, and keeps no value
/// heavier than <paramref name="maxEntryBytes"/>.
/// </summary>
internal sealed class DecodedMemory<T>(int capacity, int maxEntryBytes, long maxBytes, Func<T, Bytes> signedBytes, Func<T, Bytes> signatureOf, Func<T, int> weigh)
    where T : class
{
    private readonly ConcurrentDictionary<SignatureKey, T> _known = new();
    private int _added; // added since the last clear (a race may overcount: it only clears sooner)
    // Bytes added since the last clear; a value added while another thread clears may go uncounted (one entry per thread).
    private long _bytes;

    public int Count => _known.Count;

    /// <summary>Entries kept before starting over (settable for tests).</summary>
    public int Capacity { get; set; } = capacity;

    /// <summary>What the remembered values weigh, counted from the values themselves (tests).</summary>
    public long WeightInBytes => _known.Values.Sum(v => (long)weigh(v) + WireLimits.SignatureLength);

    public bool TryGet(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> signature, [NotNullWhen(true)] out T? value)
    {
        value = null;
        if (signature.Length != WireLimits.SignatureLength || !_known.TryGetValue(new SignatureKey(signature), out var known))
            return false;
        if (!signatureOf(known).Span.SequenceEqual(signature) || !signedBytes(known).Span.SequenceEqual(bytes))
            return false; // the same signature over other bytes: decoded (and refused or verified) afresh
        value = known;
        return true;
    }

    public void Add(T value)
    {
        var weight = weigh(value) + WireLimits.SignatureLength;
        if (weight > maxEntryBytes) return;
        // ConcurrentDictionary.Count takes every lock of the table: counters of our own on the hot path (both counted: no ||).
        if (Interlocked.Increment(ref _added) > Capacity | Interlocked.Add(ref _bytes, weight) > maxBytes)
        {
            _known.Clear();
            Interlocked.Exchange(ref _added, 1);
            Interlocked.Exchange(ref _bytes, weight);
        }
        _known[new SignatureKey(signatureOf(value).Span)] = value;
    }

    // 64 bytes as eight words; System.HashCode is seeded per process, so peers cannot aim at collisions.
    private readonly struct SignatureKey : IEquatable<SignatureKey>
    {
        private readonly ulong _a, _b, _c, _d, _e, _f, _g, _h;

        public SignatureKey(ReadOnlySpan<byte> signature)
        {
            _a = BinaryPrimitives.ReadUInt64LittleEndian(signature);
            _b = BinaryPrimitives.ReadUInt64LittleEndian(signature[8..]);
            _c = BinaryPrimitives.ReadUInt64LittleEndian(signature[16..]);
            _d = BinaryPrimitives.ReadUInt64LittleEndian(signature[24..]);
            _e = BinaryPrimitives.ReadUInt64LittleEndian(signature[32..]);
            _f = BinaryPrimitives.ReadUInt64LittleEndian(signature[40..]);
            _g = BinaryPrimitives.ReadUInt64LittleEndian(signature[48..]);
            _h = BinaryPrimitives.ReadUInt64LittleEndian(signature[56..]);
        }

        public bool Equals(SignatureKey o) =>
            _a == o._a && _b == o._b && _c == o._c && _d == o._d && _e == o._e && _f == o._f && _g == o._g && _h == o._h;

        public override bool Equals(object? obj) => obj is SignatureKey other && Equals(other);

        public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d, _e, _f, _g, _h);
    }
}
