using System.Buffers.Binary;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Protocol.Transport;

/// <summary>
/// An established, authenticated, encrypted link to one peer, after <see cref="LinkHandshake"/>.
/// Each record on the wire: length of ciphertext ‖ tag (4, big-endian) ‖ ChaCha20-Poly1305 ciphertext ‖ tag (16),
/// with the 4 length bytes as associated data and a per-direction record counter as nonce.
/// No I/O: the owner writes <see cref="Seal"/>'s output to the socket and feeds what it reads to <see cref="Open"/>.
/// Seal and Open touch separate state; each alone is not thread-safe.
/// </summary>
public sealed class SecureLink : IDisposable
{
    private const string Record = "LinkRecord";

    private readonly LinkCipher _send;
    private readonly LinkCipher _receive;
    private readonly FrameStreamDecoder _records = new(LinkProtocol.MaxRecordBytes);
    private FrameFormatException? _failure;

    // Counters other than 0 exist only so tests can reach counter exhaustion.
    internal SecureLink(PublicKey remoteIdentity, ReadOnlySpan<byte> sendKey, ReadOnlySpan<byte> receiveKey, ulong sendCounter = 0, ulong receiveCounter = 0)
    {
        RemoteIdentity = remoteIdentity;
        _send = new LinkCipher(sendKey, sendCounter);
        _receive = new LinkCipher(receiveKey, receiveCounter);
    }

    /// <summary>The peer's long-term identity, proven by its signature over the handshake transcript.</summary>
    public PublicKey RemoteIdentity { get; }

    /// <summary>Bytes of an incomplete record held by <see cref="Open"/> (lets the owner spot a stalled peer).</summary>
    public int PendingBytes => _records.Pending;

    /// <summary>Bytes allocated for that incomplete record: grown with what arrived, not taken from its declared length.</summary>
    public int PendingCapacity => _records.BufferedCapacity;

    /// <summary>
    /// Encrypts one frame (0 to <see cref="WireLimits.MaxFrameBytes"/> bytes) into one wire record.
    /// Too large a frame throws <see cref="FrameFormatException"/> and leaves the link usable;
    /// after 2^64−1 records it throws <see cref="InvalidOperationException"/> (close the link).
    /// </summary>
    public byte[] Seal(ReadOnlySpan<byte> frame)
    {
        if (frame.Length > WireLimits.MaxFrameBytes)
            throw new FrameFormatException(Record, "plaintext", $"{frame.Length} bytes is above the {WireLimits.MaxFrameBytes}-byte frame limit");
        var sealedLength = frame.Length + LinkProtocol.TagBytes;
        var record = new byte[LengthPrefix.HeaderBytes + sealedLength];
        BinaryPrimitives.WriteUInt32BigEndian(record, (uint)sealedLength);
        _send.Seal(frame, record.AsSpan(0, LengthPrefix.HeaderBytes), record.AsSpan(LengthPrefix.HeaderBytes));
        return record;
    }

    /// <summary>
    /// Feeds bytes read from the peer (any chunking); returns every frame they complete, in order.
    /// Any failure throws <see cref="FrameFormatException"/> and every later call throws too: the
    /// stream can no longer be trusted, so the owner must drop the peer. A chunk that completes good
    /// records and then a bad one throws without returning the good ones: the peer is dropped anyway.
    /// </summary>
    public IReadOnlyList<byte[]> Open(ReadOnlySpan<byte> bytes)
    {
        if (_failure is not null)
            throw new FrameFormatException(Record, "state", $"link already failed ({_failure.Message})", _failure);
        try
        {
            var sealedRecords = ReadRecords(bytes);
            if (sealedRecords.Count == 0)
                return [];
            var frames = new List<byte[]>(sealedRecords.Count);
            foreach (var sealedRecord in sealedRecords)
                frames.Add(Decrypt(sealedRecord));
            return frames;
        }
        catch (FrameFormatException e)
        {
            _failure = e;
            throw;
        }
    }

    public void Dispose()
    {
        _send.Dispose();
        _receive.Dispose();
    }

    // The length limit (one frame plus tag) is enforced by the decoder before the body is buffered.
    private IReadOnlyList<byte[]> ReadRecords(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return _records.Feed(bytes);
        }
        catch (FrameFormatException e)
        {
            throw new FrameFormatException(Record, e.Field, e.Reason, e);
        }
    }

    private byte[] Decrypt(byte[] sealedRecord)
    {
        if (sealedRecord.Length < LinkProtocol.TagBytes)
            throw new FrameFormatException(Record, "length", $"declares {sealedRecord.Length} bytes, shorter than the {LinkProtocol.TagBytes}-byte tag");
        if (_receive.Exhausted)
            throw new FrameFormatException(Record, "counter", "receive counter exhausted (2^64-1 records); the peer must reconnect");

        // The decoder checked that the header declared exactly this length, so it can be rebuilt as AD.
        Span<byte> header = stackalloc byte[LengthPrefix.HeaderBytes];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)sealedRecord.Length);
        var frame = new byte[sealedRecord.Length - LinkProtocol.TagBytes];
        if (!_receive.TryOpen(sealedRecord, header, frame))
            throw new FrameFormatException(Record, "ciphertext", "failed authentication (tampered, replayed, reordered or dropped record)");
        return frame;
    }
}
