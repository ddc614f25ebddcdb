namespace SweetGossip.Protocol.Crypto;

/// <summary>
/// The only way protocol code signs: Schnorr over TaggedHash("SweetGossip/" + domain, message).
/// Because the domain is part of the hashed tag, a signature made for one purpose (say, a broadcast)
/// can never be presented as valid for another (say, a certificate), even over identical bytes.
/// </summary>
public static class DomainSignature
{
    private const string TagPrefix = "SweetGossip/";

    public static byte[] Sign(PrivateKey key, string domain, ReadOnlySpan<byte> message)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Schnorr.Sign(key, Digest(domain, message));
    }

    /// <summary>False for a bad key, signature or message; throws only for a missing domain (a programming error).</summary>
    public static bool Verify(PublicKey key, string domain, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        var digest = Digest(domain, message);
        return key is not null
            && signature.Length == Schnorr.SignatureLength
            && Schnorr.Verify(key, digest, signature);
    }

    private static byte[] Digest(string domain, ReadOnlySpan<byte> message)
    {
        // An empty domain would make every caller's "default" purpose collide, defeating separation.
        ArgumentException.ThrowIfNullOrEmpty(domain);
        return TaggedHash.Compute(TagPrefix + domain, message);
    }
}
