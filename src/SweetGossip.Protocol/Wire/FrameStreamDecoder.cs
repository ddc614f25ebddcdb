namespace SweetGossip.Protocol.Wire;

/// <summary>
/// Cuts a byte stream (bytes arriving in arbitrary chunks, as from TCP) into length-prefixed frames.
/// A frame's buffer grows with what has arrived (doubling, never past the declared length), so a peer
/// that declares a large frame and sends little holds little. Not thread-safe: one per connection. After
/// a format error the stream is unusable and the peer should be dropped, because framing can no longer be trusted.
/// </summary>
public sealed class FrameStreamDecoder(int maxFrameBytes = WireLimits.MaxFrameBytes)
{
    /// <summary>The first buffer of a frame arriving in pieces is at least this big (fewer regrowths of small frames).</summary>
    public const int MinBufferBytes = 256;

    private readonly byte[] _header = new byte[LengthPrefix.HeaderBytes];
    private int _headerFilled;
    private int _declared; // 0 while the header is incomplete
    private byte[] _body = [];
    private int _bodyFilled;
    private bool _failed;

    /// <summary>Bytes held for a frame not yet complete.</summary>
    public int Pending => _headerFilled + _bodyFilled;

    /// <summary>Bytes allocated for the frame not yet complete (at most its declared length, and at most twice what arrived or <see cref="MinBufferBytes"/>).</summary>
    public int BufferedCapacity => _body.Length;

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
                if (_declared == 0)
                {
                    var take = Math.Min(LengthPrefix.HeaderBytes - _headerFilled, data.Length);
                    data[..take].CopyTo(_header.AsSpan(_headerFilled));
                    _headerFilled += take;
                    data = data[take..];
                    if (_headerFilled < LengthPrefix.HeaderBytes)
                        break;
                    _declared = LengthPrefix.ReadLength(_header, maxFrameBytes);
                    _bodyFilled = 0;
                    if (data.IsEmpty)
                        break; // nothing of the body yet: nothing allocated for it
                }
                var copy = Math.Min(_declared - _bodyFilled, data.Length);
                Reserve(_bodyFilled + copy);
                data[..copy].CopyTo(_body.AsSpan(_bodyFilled));
                _bodyFilled += copy;
                data = data[copy..];
                if (_bodyFilled == _declared)
                {
                    (frames ??= []).Add(_body);
                    _body = [];
                    _declared = 0;
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

    /// <summary>
    /// Makes room for <paramref name="needed"/> body bytes: the declared length at once when they complete
    /// the frame, else double the buffer (at least <see cref="MinBufferBytes"/>), capped at the declared length.
    /// A finished frame's buffer is therefore exactly its length.
    /// </summary>
    private void Reserve(int needed)
    {
        if (needed <= _body.Length)
            return;
        var size = needed == _declared ? _declared : Math.Min(_declared, Math.Max(needed, Math.Max(MinBufferBytes, _body.Length * 2)));
        var grown = new byte[size];
        _body.AsSpan(0, _bodyFilled).CopyTo(grown);
        _body = grown;
    }
}
