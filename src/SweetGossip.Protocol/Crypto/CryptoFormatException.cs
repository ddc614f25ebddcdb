namespace SweetGossip.Protocol.Crypto;

/// <summary>
/// Bytes that claim to be a key, signature, hex string or sealed box but are not valid.
/// Raised for untrusted input, so callers can reject a peer's data without catching broader exceptions.
/// </summary>
public class CryptoFormatException : Exception
{
    public CryptoFormatException(string message)
        : base(message)
    {
    }
}
