using SweetGossip.Protocol.Wire;

namespace SweetGossip.Protocol.Transport;

/// <summary>
/// Cuts one length-prefixed handshake message at a time out of a byte stream arriving in arbitrary
/// chunks. Unlike <see cref="FrameStreamDecoder"/> it stops at the end of the message, so bytes after
/// the last handshake message stay with the caller for the transport phase.
/// </summary>
internal sealed class HandshakeMessageReader
{
    private readonly byte[] _header = new byte[LengthPrefix.HeaderBytes];
    private int _headerFilled;
    private byte[]? _body;
    private int _bodyFilled;

    /// <summary>
    /// Consumes bytes from the front of <paramref name="data"/>; returns the message once complete
    /// (leaving what follows it in <paramref name="data"/>), else null with all of data consumed.
    /// </summary>
    public byte[]? Read(ref ReadOnlySpan<byte> data, string act)
    {
        if (_body is null)
        {
            var take = Math.Min(LengthPrefix.HeaderBytes - _headerFilled, data.Length);
            data[..take].CopyTo(_header.AsSpan(_headerFilled));
            _headerFilled += take;
            data = data[take..];
            if (_headerFilled < LengthPrefix.HeaderBytes)
                return null;

            // Checked before allocating: a hostile length never makes us buffer more than the limit.
            int length;
            try
            {
                length = LengthPrefix.ReadLength(_header, LinkProtocol.MaxHandshakeMessageBytes);
            }
            catch (FrameFormatException e)
            {
                throw new LinkHandshakeException(act, "length", e.Reason, e);
            }
            _body = new byte[length];
            _bodyFilled = 0;
        }

        var copy = Math.Min(_body.Length - _bodyFilled, data.Length);
        data[..copy].CopyTo(_body.AsSpan(_bodyFilled));
        _bodyFilled += copy;
        data = data[copy..];
        if (_bodyFilled < _body.Length)
            return null;

        var message = _body;
        _body = null;
        _headerFilled = 0;
        return message;
    }
}
