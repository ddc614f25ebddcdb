namespace SweetGossip.Protocol.Wire;

/// <summary>
/// Cuts a byte stream (bytes arriving in arbitrary chunks, as from TCP) into length-prefixed frames.
/// Not thread-safe: one per connection. After a format error the stream is unusable and the peer
/// should be dropped, because framing can no longer be trusted.
/// </summary>
public sealed class FrameStreamDecoder(int maxFrameBytes = WireLimits.MaxFrameBytes)
{
    private readonly byte[] _header = new byte[LengthPrefix.HeaderBytes];
    private int _headerFilled;
    private byte[]? _body;
    private int _bodyFilled;
    private bool _failed;

    /// <summary>Bytes held for a frame not yet complete.</summary>
    public int Pending => _headerFilled + _bodyFilled;

    /// <summary>Feeds bytes; returns every frame they complete, in order.</summary>
    public IReadOnlyList<byte[]> Feed(ReadOnlySpan<byte> data)
    {
        if (_failed)
            throw new InvalidOperationException("the stream already failed to decode; drop the connection");
        List<byte[]>? frames = null;
        try
        {
            while (!data.IsEmpty)
            {
                if (_body is null)
                {
                    var take = Math.Min(LengthPrefix.HeaderBytes - _headerFilled, data.Length);
                    data[..take].CopyTo(_header.AsSpan(_headerFilled));
                    _headerFilled += take;
                    data = data[take..];
                    if (_headerFilled < LengthPrefix.HeaderBytes)
                        break;
                    _body = new byte[LengthPrefix.ReadLength(_header, maxFrameBytes)];
                    _bodyFilled = 0;
                }
                var copy = Math.Min(_body.Length - _bodyFilled, data.Length);
                data[..copy].CopyTo(_body.AsSpan(_bodyFilled));
                _bodyFilled += copy;
                data = data[copy..];
                if (_bodyFilled == _body.Length)
                {
                    (frames ??= []).Add(_body);
                    _body = null;
                    _headerFilled = 0;
                    _bodyFilled = 0;
                }
            }
        }
        catch (FrameFormatException)
        {
            _failed = true;
            throw;
        }
        return (IReadOnlyList<byte[]>?)frames ?? [];
    }
}
