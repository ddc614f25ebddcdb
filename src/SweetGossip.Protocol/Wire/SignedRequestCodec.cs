using Google.Protobuf;
using SweetGossip.Protocol.Frames;

namespace SweetGossip.Protocol.Wire;

/// <summary>
/// A signed request on its own, in the wire's <c>SignedRequestPayload</c> message: how a node keeps one
/// in its journal (a reply it pays for must still open after a restart). Decoding checks it as strictly
/// as a frame's.
/// </summary>
public static class SignedRequestCodec
{
    public static byte[] Encode(SignedRequestPayload request) => RequestWire.ToProto(request).ToByteArray();

    /// <exception cref="FrameFormatException">Not a well-formed signed request.</exception>
    public static SignedRequestPayload Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > WireLimits.MaxFrameBytes)
            throw new FrameFormatException("SignedRequestPayload", "*", $"is {bytes.Length} bytes, above the {WireLimits.MaxFrameBytes}-byte frame limit");
        var proto = ProtoFields.Parse(Proto.SignedRequestPayload.Parser, bytes, "SignedRequestPayload", "*");
        return RequestWire.FromProto(proto, "SignedRequestPayload", "signed_request");
    }
}
