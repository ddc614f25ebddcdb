using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Replies;

/// <summary>
/// Binds each sealed part to its reply: a header or body cut from one reply and pasted into
/// another (other topic or other payment hash) fails authentication.
/// </summary>
internal static class ReplyAssociatedData
{
    public static byte[] For(string part, PayloadId payloadId, Hash32 paymentHash)
    {
        var label = System.Text.Encoding.ASCII.GetBytes($"SweetGossip/reply-{part}/v1");
        var data = new byte[label.Length + Id16.Length + Hash32.Length];
        label.CopyTo(data, 0);
        Id16.ToBytes(payloadId.Value).CopyTo(data, label.Length);
        paymentHash.WriteTo(data.AsSpan(label.Length + Id16.Length));
        return data;
    }
}
