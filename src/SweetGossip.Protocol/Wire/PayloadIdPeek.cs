using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Wire;

/// <summary>
/// Reads the payload id of an AskForFavour or a Broadcast straight from its envelope bytes, without decoding the
/// frame (no certificate, no keys lifted onto the curve): a relay drops a payload it has already seen before
/// paying for a decode. Only a shortcut: anything unusual (another frame, a field twice, a wrong wire type, a
/// truncation) gives no answer and the frame takes the full, checked decode.
/// </summary>
public static class PayloadIdPeek
{
    private const int EnvelopeAsk = 10, EnvelopeBroadcast = 12, SignedRequest = 2, PayloadBytes = 1, PayloadIdField = 1;

    /// <summary>The frame's payload id, and whether it is an ask (else a broadcast); false when it cannot be read cheaply.</summary>
    public static bool TryRead(ReadOnlySpan<byte> envelope, out PayloadId payloadId, out bool isAsk)
    {
        payloadId = default;
        isAsk = false;
        if (envelope.Length > WireLimits.MaxFrameBytes) return false;
        if (!TryOnly(envelope, EnvelopeAsk, out var frame, out var askFound)) return false;
        if (!askFound)
        {
            if (!TryOnly(envelope, EnvelopeBroadcast, out frame, out var broadcastFound) || !broadcastFound) return false;
        }
        else if (!TryOnly(envelope, EnvelopeBroadcast, out _, out var both) || both)
            return false;
        isAsk = askFound;
        if (!TryOnly(frame, SignedRequest, out var signed, out var found) || !found) return false;
        if (!TryOnly(signed, PayloadBytes, out var payload, out found) || !found) return false;
        if (!TryOnly(payload, PayloadIdField, out var id, out found) || !found || id.Length != Id16.Length) return false;
        payloadId = new PayloadId(Id16.FromBytes(id));
        return true;
    }

    /// <summary>The one length-delimited field numbered <paramref name="field"/> of a message; false if it is there twice, of another type, or the message is malformed.</summary>
    private static bool TryOnly(ReadOnlySpan<byte> message, int field, out ReadOnlySpan<byte> value, out bool found)
    {
        value = default;
        found = false;
        var at = 0;
        while (at < message.Length)
        {
            if (!TryVarint(message, ref at, out var tag) || tag >> 3 == 0) return false;
            var (number, type) = ((int)(tag >> 3), (int)(tag & 7));
            switch (type)
            {
                case 0:
                    if (!TryVarint(message, ref at, out _)) return false;
                    if (number == field) return false;
                    break;
                case 1:
                    if ((at += 8) > message.Length || number == field) return false;
                    break;
                case 5:
                    if ((at += 4) > message.Length || number == field) return false;
                    break;
                case 2:
                    if (!TryVarint(message, ref at, out var length) || length > (ulong)(message.Length - at)) return false;
                    if (number == field)
                    {
                        if (found) return false; // twice: protobuf would merge them; let the real decoder say what it means
                        value = message.Slice(at, (int)length);
                        found = true;
                    }
                    at += (int)length;
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    private static bool TryVarint(ReadOnlySpan<byte> bytes, ref int at, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= bytes.Length) return false;
            var b = bytes[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return true;
        }
        return false;
    }
}
