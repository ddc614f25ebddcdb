using System.Collections.Concurrent;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Validation;

/// <summary>
/// Requests whose signatures this node has verified, until they expire. Several peers ask for the same
/// topic before its broadcast arrives; the exact same signed bytes need verifying once. Matched on
/// payload id, payload hash and signature, so a different request under a known id is verified afresh.
/// Thread-safe: every peer connection of a node verifies asks on its own thread and shares this memory.
/// </summary>
public sealed class VerifiedRequests(int capacity = 10_000)
{
    // Started small (it grows as needed; enumerated only to evict): the default 31 buckets were ≈ 190 bytes more of every simulated peer.
    private readonly ConcurrentDictionary<PayloadId, (Hash32 PayloadHash, Bytes Signature, DateTimeOffset ExpiresAt)> _verified = new(Environment.ProcessorCount, 7);
    private readonly object _evicting = new();
    // ConcurrentDictionary.Count takes every lock of the table, and Add ran it for every new ask (≈ 3 % of a relay's
    // CPU): entries added are counted here instead, and the count is taken exactly again after each eviction.
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public bool Contains(SignedRequestPayload request) =>
        _verified.TryGetValue(request.Payload.PayloadId, out var known)
        && known.PayloadHash == request.PayloadHash
        && known.Signature.Span.SequenceEqual(request.OriginatorSignature.Span);

    public void Add(SignedRequestPayload request, DateTimeOffset now)
    {
        if (Volatile.Read(ref _count) >= capacity)
        {
            // Bounded: drop what expired, and if that is not enough, everything (re-verifying is only slower).
            lock (_evicting)
            {
                if (Volatile.Read(ref _count) >= capacity)
                {
                    foreach (var expired in _verified.Where(v => v.Value.ExpiresAt < now).Select(v => v.Key).ToList())
                        _verified.TryRemove(expired, out _);
                    if (_verified.Count >= capacity) _verified.Clear();
                    Volatile.Write(ref _count, _verified.Count);
                }
            }
        }
        var entry = (request.PayloadHash, request.OriginatorSignature, request.Payload.ExpiresAt);
        if (_verified.TryAdd(request.Payload.PayloadId, entry)) Interlocked.Increment(ref _count);
        else _verified[request.Payload.PayloadId] = entry;
    }
}
