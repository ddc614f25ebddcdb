using System.Buffers.Binary;
using System.Numerics;

namespace SweetGossip.Protocol.Pow;

/// <summary>
/// SHA-256 of one proof preimage (32-byte challenge hash ‖ 8-byte big-endian nonce) for a solver trying nonce after
/// nonce on one challenge. The 40 bytes and their padding are exactly one SHA-256 block, and the challenge fills the
/// block's first eight words: those words and the first eight rounds that consume them are computed once per
/// challenge, so each nonce costs the remaining 56 rounds, in managed code, without a call into the platform's
/// crypto library (whose per-call cost was most of a low-difficulty proof: 36 % of a simulation's time).
/// The result is the standard SHA-256 (FIPS 180-4); <see cref="PowVerifier"/> checks with the platform's.
/// </summary>
internal sealed class ProofHasher
{
    private static ReadOnlySpan<uint> K =>
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private static ReadOnlySpan<uint> Initial => [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    // The block's words 10..15 never change: the 0x80 padding byte, zeros, and the length (40 bytes = 320 bits).
    private const uint W10 = 0x80000000, W15 = 320;

    private readonly uint[] _challenge = new uint[8]; // words 0..7 of every block
    private readonly uint[] _afterEight = new uint[8]; // a..h after rounds 0..7

    public ProofHasher(ReadOnlySpan<byte> challengeHash32)
    {
        for (var i = 0; i < 8; i++) _challenge[i] = BinaryPrimitives.ReadUInt32BigEndian(challengeHash32[(4 * i)..]);
        Span<uint> s = stackalloc uint[8];
        Initial.CopyTo(s);
        for (var t = 0; t < 8; t++) Round(s, _challenge[t] + K[t]);
        s.CopyTo(_afterEight);
    }

    /// <summary>The first 64 bits of SHA-256(challenge ‖ nonce), big-endian: what a difficulty check reads.</summary>
    public ulong Leading64(ulong nonce)
    {
        Span<uint> h = stackalloc uint[8];
        Compress(nonce, h);
        return ((ulong)h[0] << 32) | h[1];
    }

    /// <summary>The whole 32-byte SHA-256(challenge ‖ nonce).</summary>
    public void Hash(ulong nonce, Span<byte> hash32)
    {
        Span<uint> h = stackalloc uint[8];
        Compress(nonce, h);
        for (var i = 0; i < 8; i++) BinaryPrimitives.WriteUInt32BigEndian(hash32[(4 * i)..], h[i]);
    }

    private void Compress(ulong nonce, Span<uint> result)
    {
        Span<uint> w = stackalloc uint[64];
        _challenge.CopyTo(w);
        w[8] = (uint)(nonce >> 32);
        w[9] = (uint)nonce;
        w[10] = W10;
        w[11] = w[12] = w[13] = w[14] = 0;
        w[15] = W15;
        for (var t = 16; t < 64; t++)
        {
            uint x = w[t - 15], y = w[t - 2];
            var s0 = BitOperations.RotateRight(x, 7) ^ BitOperations.RotateRight(x, 18) ^ (x >> 3);
            var s1 = BitOperations.RotateRight(y, 17) ^ BitOperations.RotateRight(y, 19) ^ (y >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        // The state in locals, not a span: the 56 rounds are the whole cost.
        var m = _afterEight;
        uint a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7];
        var k = K;
        for (var t = 8; t < 64; t++)
        {
            var t1 = h + (BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25)) + ((e & f) ^ (~e & g)) + k[t] + w[t];
            var t2 = (BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
        }
        var initial = Initial;
        result[0] = initial[0] + a; result[1] = initial[1] + b; result[2] = initial[2] + c; result[3] = initial[3] + d;
        result[4] = initial[4] + e; result[5] = initial[5] + f; result[6] = initial[6] + g; result[7] = initial[7] + h;
    }

    private static void Round(Span<uint> s, uint wk)
    {
        uint a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
        var t1 = h + (BitOperations.RotateRight(e, 6) ^ BitOperations.RotateRight(e, 11) ^ BitOperations.RotateRight(e, 25)) + ((e & f) ^ (~e & g)) + wk;
        var t2 = (BitOperations.RotateRight(a, 2) ^ BitOperations.RotateRight(a, 13) ^ BitOperations.RotateRight(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        s[7] = g; s[6] = f; s[5] = e; s[4] = d + t1; s[3] = c; s[2] = b; s[1] = a; s[0] = t1 + t2;
    }
}
