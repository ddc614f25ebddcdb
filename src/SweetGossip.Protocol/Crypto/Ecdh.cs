using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SweetGossip.Protocol.Crypto;

/// <summary>Elliptic-curve Diffie–Hellman on secp256k1 with x-only public keys (libsecp256k1, constant time).</summary>
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

        var secret = new byte[Secp256k1.CoordinateLength];
        if (!SharedX(ours.Secret, theirs.EvenPoint, secret))
        {
            // d is in [1, n-1] and every curve point has prime order n, so this cannot happen.
            throw new CryptographicException("libsecp256k1 ECDH failed");
        }

        return secret;
    }

    // secp256k1_ecdh with a hash function that returns x itself: libsecp256k1's default would hash the
    // compressed point (parity byte ‖ x), which is not the derivation of docs/protocol.md D11 and D17.
    // Called directly because Secp256k1.Net's delegate overload marshals a new delegate on every call
    // and does not keep it alive while the native code runs; a static unmanaged function has no such
    // lifetime and allocates nothing.
    private static unsafe bool SharedX(ReadOnlySpan<byte> secret32, ReadOnlySpan<byte> point64, Span<byte> output32)
    {
        var (context, ecdh) = Secp256k1Library.EcdhEntry;
        var function = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, delegate* unmanaged[Cdecl]<byte*, byte*, byte*, void*, int>, void*, int>)ecdh;
        fixed (byte* output = output32)
        fixed (byte* point = point64)
        fixed (byte* secret = secret32)
        {
            return function(context, output, point, secret, &CopyX, null) == 1;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe int CopyX(byte* output, byte* x32, byte* y32, void* data)
    {
        new ReadOnlySpan<byte>(x32, Secp256k1.CoordinateLength).CopyTo(new Span<byte>(output, Secp256k1.CoordinateLength));
        return 1;
    }
}
