namespace SweetGossip.Protocol.Certificates;

/// <summary>
/// Every protocol signature is made over a tagged hash whose tag names its purpose,
/// so a signature made for one purpose can never be replayed as another.
/// </summary>
public static class SignatureDomains
{
    public const string Certificate = "certificate";
    public const string RevocationList = "revocation-list";
    public const string RequestPayload = "request-payload";
    public const string ReplyCommitment = "reply-commitment";
    public const string Ack = "ack";
    public const string Message = "message";
}
