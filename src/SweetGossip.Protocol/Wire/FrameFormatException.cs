namespace SweetGossip.Protocol.Wire;

/// <summary>
/// Bytes from a peer that are not a well-formed frame. Names the frame and the field at fault,
/// so a node can log exactly why it dropped a peer.
/// </summary>
public sealed class FrameFormatException : Exception
{
    public FrameFormatException(string frame, string field, string reason, Exception? inner = null)
        : base($"{frame}.{field}: {reason}", inner)
    {
        Frame = frame;
        Field = field;
        Reason = reason;
    }

    public string Frame { get; }

    public string Field { get; }

    public string Reason { get; }
}
