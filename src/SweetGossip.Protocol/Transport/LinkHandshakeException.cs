namespace SweetGossip.Protocol.Transport;

/// <summary>
/// The peer's handshake is refused. Names the act and the field at fault (e.g.
/// <c>act2.responder_signature: …</c>) so a node can log exactly why it dropped the connection.
/// </summary>
public sealed class LinkHandshakeException : Exception
{
    public LinkHandshakeException(string act, string field, string reason, Exception? inner = null)
        : base($"{act}.{field}: {reason}", inner)
    {
        Act = act;
        Field = field;
        Reason = reason;
    }

    public string Act { get; }

    public string Field { get; }

    public string Reason { get; }
}
