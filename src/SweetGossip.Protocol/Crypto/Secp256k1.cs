namespace SweetGossip.Protocol.Crypto;

/// <summary>
/// secp256k1 sizes and the byte-level checks shared by keys, Schnorr, ECDH and Lightning's compressed
/// points. The arithmetic itself is libsecp256k1's (<see cref="Secp256k1Library"/>); its parsed forms
/// are opaque 64-byte (public key) and 96-byte (key pair) buffers.
/// </summary>
internal static class Secp256k1
{
    public const int ScalarLength = 32;
    public const int CoordinateLength = 32;
    public const int CompressedPointLength = 33;

    /// <summary>Size of libsecp256k1's parsed public key (<c>secp256k1_pubkey</c>, <c>secp256k1_xonly_pubkey</c>).</summary>
    public const int ParsedKeyLength = 64;

    /// <summary>Size of libsecp256k1's <c>secp256k1_keypair</c> (holds the secret key).</summary>
    public const int KeypairLength = 96;

    /// <summary>Field prime p, big-endian.</summary>
    public static ReadOnlySpan<byte> P =>
    [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xfc, 0x2f,
    ];

    /// <summary>Group order n, big-endian.</summary>
    public static ReadOnlySpan<byte> N =>
    [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
        0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
    ];

    /// <summary>Whether 32 big-endian bytes are below p, i.e. a field element (public data: not constant-time).</summary>
    public static bool IsFieldElement(ReadOnlySpan<byte> x32) =>
        x32.Length == CoordinateLength && x32.SequenceCompareTo(P) < 0;

    /// <summary>Whether the bytes are a 33-byte SEC1 compressed point (02/03 prefix, x below p, on the curve).</summary>
    public static bool IsCompressedPoint(ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length != CompressedPointLength || (encoded[0] != 0x02 && encoded[0] != 0x03))
        {
            return false;
        }

        Span<byte> parsed = stackalloc byte[ParsedKeyLength];
        return Secp256k1Library.Context.EcPubkeyParse(parsed, encoded);
    }
}
