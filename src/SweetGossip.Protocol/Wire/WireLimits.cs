namespace SweetGossip.Protocol.Wire;

/// <summary>
/// Hard limits on what a peer may send. Every limit is checked before the data is used,
/// so a hostile peer cannot make a node allocate or hash more than these allow.
/// </summary>
public static class WireLimits
{
    public const int ProtocolVersion = 1;

    /// <summary>Largest envelope, before encryption. A length prefix above it drops the link unread.</summary>
    public const int MaxFrameBytes = 64 * 1024;

    public const int MaxNameLength = 64;
    public const int MaxProperties = 16;
    public const int MaxPropertyKeyLength = 32;
    public const int MaxPropertyValueLength = 256;
    public const int MaxRevokedSerials = 4096;
    public const int MaxInvoiceLength = 2048;
    public const int MaxPowSchemeLength = 16;
    public const int MaxPowDifficultyBits = 64;
    public const int MaxHops = 32;
    public const int MaxSealedHeaderBytes = 4 * 1024;
    public const int MaxSealedBodyBytes = 16 * 1024;
    public const int MaxReplyMessageLength = 4 * 1024;
    public const int MaxContactAddressLength = 256;
    public const int SignatureLength = 64;

    /// <summary>Checks a text field: length in UTF-16 units and no control characters (they corrupt logs and terminals).</summary>
    public static void CheckText(string frame, string field, string value, int maxLength, bool allowEmpty)
    {
        if (!allowEmpty && value.Length == 0)
            throw new FrameFormatException(frame, field, "must not be empty");
        if (value.Length > maxLength)
            throw new FrameFormatException(frame, field, $"must be at most {maxLength} characters (got {value.Length})");
        foreach (var c in value)
        {
            if (char.IsControl(c) && c != '\n')
                throw new FrameFormatException(frame, field, $"contains control character U+{(int)c:X4}");
        }
    }
}
