namespace SweetGossip.Protocol.Crypto;

/// <summary>Elliptic-curve Diffie–Hellman on secp256k1 with x-only public keys.</summary>
public static class Ecdh
{
    /// <summary>
    /// The 32-byte x-coordinate of d·lift_x(P). An x-only key stands for ±P, and x(d·P) = x(-d·P),
    /// so both sides get the same secret whichever sign each key's point really had.
    /// The result is raw key material: feed it to a KDF (see SealedBox), never use it as a key directly.
    /// </summary>
    public static byte[] SharedSecret(PrivateKey ours, PublicKey theirs)
    {
        ArgumentNullException.ThrowIfNull(ours);
        ArgumentNullException.ThrowIfNull(theirs);

        // d is in [1, n-1] and every curve point has prime order n, so the product is never infinity.
        var shared = theirs.Point.Multiply(ours.Scalar).Normalize();
        var secret = new byte[Secp256k1.CoordinateLength];
        Secp256k1.WriteX(shared, secret);
        return secret;
    }
}
