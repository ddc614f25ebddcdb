using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using SweetGossip.Protocol.Frames;

namespace SweetGossip.Protocol.Wire;

/// <summary>
/// Signed requests decoded recently, found again by their signature. A relay decodes every request at least twice
/// (the ask, then the broadcast that redeems the favour) and again for each peer that offers it before the broadcast
/// arrives; parsing the payload (certificate, topic, keys) and hashing it was the largest part of decoding a frame.
/// A hit is returned only for the very same signature and payload bytes, which decode to an equal request (decoding
/// is deterministic and requests are immutable), so sharing the instance is safe. Bounded: it starts over when full.
/// </summary>
internal static class DecodedRequests
{
    internal const int Capacity = 4_096;
    private static readonly ConcurrentDictionary<SignatureKey, SignedRequestPayload> Known = new();
    private static int _added; // requests added since the last clear (a race may overcount: it only clears sooner)

    internal static int Count => Known.Count;

    public static bool TryGet(ReadOnlySpan<byte> payloadBytes, ReadOnlySpan<byte> signature, [NotNullWhen(true)] out SignedRequestPayload? request)
    {
        request = null;
        if (signature.Length != WireLimits.SignatureLength || !Known.TryGetValue(new SignatureKey(signature), out var known))
            return false;
        if (!known.OriginatorSignature.Span.SequenceEqual(signature) || !known.PayloadBytes.Span.SequenceEqual(payloadBytes))
            return false; // the same signature over other bytes: decoded (and refused or verified) afresh
        request = known;
        return true;
    }

    public static void Add(SignedRequestPayload request)
    {
        // ConcurrentDictionary.Count takes every lock of the table: a counter of our own on the hot path.
        if (Interlocked.Increment(ref _added) > Capacity)
        {
            Known.Clear();
            Interlocked.Exchange(ref _added, 1);
        }
        Known[new SignatureKey(request.OriginatorSignature.Span)] = request;
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
