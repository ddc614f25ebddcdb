using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace SweetGossip.Protocol.Crypto;

/// <summary>
/// ECDSA on secp256k1 with public-key recovery, as Lightning uses it (BOLT 11 invoice signatures):
/// deterministic (RFC 6979) low-S signing with a recovery id, SEC 1 §4.1.6 recovery, plain verification.
/// Curve constants come from <see cref="Secp256k1"/>, shared with Schnorr and ECDH.
/// </summary>
public static class RecoverableEcdsa
{
    private static readonly X9ECParameters Parameters = Secp256k1.Parameters;
    private static readonly ECDomainParameters Domain = new(Parameters.Curve, Parameters.G, Parameters.N, Parameters.H);
    private static readonly BigInteger N = Secp256k1.N;
    private static readonly BigInteger HalfN = Secp256k1.HalfN;
    private static readonly BigInteger P = Secp256k1.P;

    /// <summary>Compressed public key of a 32-byte private key.</summary>
    public static byte[] GetPublicKey(byte[] privateKey)
    {
        var d = ParsePrivateKey(privateKey);
        return Parameters.G.Multiply(d).Normalize().GetEncoded(true);
    }

    /// <summary>
    /// Signs a 32-byte hash: RFC 6979 nonce (HMAC-SHA256), S normalised to the lower half of the order,
    /// and the recovery id (0..3) that makes <see cref="Recover"/> return the signer's key.
    /// The recovery id is read off the nonce point R (y parity, and whether R.x overflowed n), so signing
    /// costs one fixed-base multiplication instead of a trial recovery per candidate id.
    /// </summary>
    public static (byte[] Signature64, int RecoveryId) SignRecoverable(byte[] hash32, byte[] privateKey)
    {
        var d = ParsePrivateKey(privateKey);
        var e = new BigInteger(1, hash32);
        var nonces = new HMacDsaKCalculator(new Sha256Digest());
        nonces.Init(N, d, hash32);
        while (true)
        {
            var k = nonces.NextK();
            var point = Secp256k1.MultiplyG(k);
            var x = point.AffineXCoord.ToBigInteger();
            var r = x.Mod(N);
            if (r.SignValue == 0) continue;
            var s = k.ModInverse(N).Multiply(e.Add(d.Multiply(r))).Mod(N);
            if (s.SignValue == 0) continue;
            var recoveryId = (point.AffineYCoord.TestBitZero() ? 1 : 0) | (x.CompareTo(N) >= 0 ? 2 : 0);
            if (s.CompareTo(HalfN) > 0)
            {
                // (r, n - s) is the signature for -R: the y parity flips.
                s = N.Subtract(s);
                recoveryId ^= 1;
            }

            var signature = new byte[64];
            Secp256k1.WriteScalar(r, signature.AsSpan(0, 32));
            Secp256k1.WriteScalar(s, signature.AsSpan(32, 32));
            return (signature, recoveryId);
        }
    }

    /// <summary>
    /// SEC 1 §4.1.6 public key recovery from (r, s) and a recovery id. Accepts high-S signatures.
    /// Returns the compressed key, or null when the signature cannot be recovered.
    /// </summary>
    public static byte[]? Recover(byte[] hash32, ReadOnlySpan<byte> signature64, int recoveryId)
    {
        if (recoveryId is < 0 or > 3 || signature64.Length != 64)
        {
            return null;
        }

        var r = new BigInteger(1, signature64[..32].ToArray());
        var s = new BigInteger(1, signature64[32..].ToArray());
        if (r.SignValue <= 0 || r.CompareTo(N) >= 0 || s.SignValue <= 0 || s.CompareTo(N) >= 0)
        {
            return null;
        }

        // Step 1.1-1.3: x = r + j*n must be a field element; R is the point with that x and the parity of the id.
        var x = r.Add(BigInteger.ValueOf(recoveryId >> 1).Multiply(N));
        if (x.CompareTo(P) >= 0)
        {
            return null;
        }

        ECPoint rPoint;
        try
        {
            var encoded = new byte[33];
            encoded[0] = (byte)((recoveryId & 1) == 0 ? 0x02 : 0x03);
            var xBytes = x.ToByteArrayUnsigned();
            xBytes.CopyTo(encoded, 33 - xBytes.Length);
            rPoint = Parameters.Curve.DecodePoint(encoded);
        }
        catch (ArgumentException)
        {
            // x is not the abscissa of a curve point.
            return null;
        }

        // Step 1.4 (nR == O) always holds on secp256k1: the cofactor is 1, so every point has order n.
        // Step 1.5-1.6: Q = r^-1 (sR - eG).
        var e = new BigInteger(1, hash32);
        var rInverse = r.ModInverse(N);
        var u1 = e.Negate().Mod(N).Multiply(rInverse).Mod(N);
        var u2 = s.Multiply(rInverse).Mod(N);
        var q = ECAlgorithms.SumOfTwoMultiplies(Parameters.G, u1, rPoint, u2).Normalize();
        return q.IsInfinity ? null : q.GetEncoded(true);
    }

    /// <summary>Plain ECDSA verification of (r, s) against a compressed public key.</summary>
    public static bool Verify(byte[] hash32, ReadOnlySpan<byte> signature64, byte[] publicKey33)
    {
        if (!TryParsePublicKey(publicKey33, out var q))
        {
            return false;
        }

        var r = new BigInteger(1, signature64[..32].ToArray());
        var s = new BigInteger(1, signature64[32..].ToArray());
        var verifier = new ECDsaSigner();
        verifier.Init(false, new ECPublicKeyParameters(q, Domain));
        return verifier.VerifySignature(hash32, r, s);
    }

    /// <summary>Whether S is at most n/2 (the normalised form libsecp256k1 verification requires).</summary>
    public static bool IsLowS(ReadOnlySpan<byte> signature64)
        => new BigInteger(1, signature64[32..].ToArray()).CompareTo(HalfN) <= 0;

    /// <summary>Whether <paramref name="publicKey33"/> is a compressed encoding of a point on the curve.</summary>
    public static bool IsValidPublicKey(byte[] publicKey33) => TryParsePublicKey(publicKey33, out _);

    private static bool TryParsePublicKey(byte[] publicKey33, out ECPoint point)
    {
        point = Parameters.Curve.Infinity;
        if (publicKey33.Length != 33 || (publicKey33[0] != 0x02 && publicKey33[0] != 0x03))
        {
            return false;
        }

        try
        {
            point = Parameters.Curve.DecodePoint(publicKey33);
            return point.IsValid();
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static BigInteger ParsePrivateKey(byte[] privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (privateKey.Length != 32)
        {
            throw new ArgumentException("A secp256k1 private key is 32 bytes.", nameof(privateKey));
        }

        var d = new BigInteger(1, privateKey);
        if (d.SignValue <= 0 || d.CompareTo(N) >= 0)
        {
            throw new ArgumentException("The private key is not in [1, n-1].", nameof(privateKey));
        }

        return d;
    }
}
