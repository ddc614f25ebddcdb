using System.Security.Cryptography;
using FsCheck;
using FsCheck.Xunit;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Tests.Crypto;

public class SchnorrTests
{
    private static readonly PrivateKey Key = PrivateKey.FromHex("b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef");

    [Fact]
    public void SignatureVerifies()
    {
        var message = SHA256.HashData("hello"u8);
        var signature = Schnorr.Sign(Key, message);

        Assert.Equal(Schnorr.SignatureLength, signature.Length);
        Assert.True(Schnorr.Verify(Key.PublicKey, message, signature));
        Assert.True(Schnorr.Verify(Key.PublicKey.Span, message, signature));
    }

    [Fact]
    public void FreshAuxRandGivesDifferentValidSignatures()
    {
        var message = SHA256.HashData("hello"u8);
        var a = Schnorr.Sign(Key, message);
        var b = Schnorr.Sign(Key, message);

        Assert.NotEqual(a, b);
        Assert.True(Schnorr.Verify(Key.PublicKey, message, b));
    }

    [Fact]
    public void FlippingAnySingleBitOfSignatureOrMessageFailsVerification()
    {
        var message = SHA256.HashData("bit flips"u8);
        var signature = Schnorr.Sign(Key, message);

        for (var bit = 0; bit < signature.Length * 8; bit++)
        {
            var tampered = Flip(signature, bit);
            Assert.False(Schnorr.Verify(Key.PublicKey, message, tampered), $"signature bit {bit}");
        }

        for (var bit = 0; bit < message.Length * 8; bit++)
        {
            var tampered = Flip(message, bit);
            Assert.False(Schnorr.Verify(Key.PublicKey, tampered, signature), $"message bit {bit}");
        }
    }

    [Property(MaxTest = 40)]
    public bool RandomKeysSignAndAnyFlippedBitFails(NonEmptyArray<byte> keySeed, NonEmptyArray<byte> messageSeed, NonNegativeInt bitChoice)
    {
        var key = KeyFromSeed(keySeed.Get);
        var message = SHA256.HashData(messageSeed.Get);
        var signature = Schnorr.Sign(key, message);
        if (!Schnorr.Verify(key.PublicKey, message, signature))
        {
            return false;
        }

        var bit = bitChoice.Get % ((signature.Length + message.Length) * 8);
        return bit < signature.Length * 8
            ? !Schnorr.Verify(key.PublicKey, message, Flip(signature, bit))
            : !Schnorr.Verify(key.PublicKey, Flip(message, bit - signature.Length * 8), signature);
    }

    [Property(MaxTest = 100)]
    public bool ArbitraryBytesNeverThrowAndNeverVerify(byte[] publicKey, byte[] message, byte[] signature)
    {
        return !Schnorr.Verify(publicKey, message, signature)
            && !Schnorr.Verify(Key.PublicKey, message, signature);
    }

    [Property(MaxTest = 50)]
    public bool RandomCorrectlySizedGarbageNeverVerifies(NonEmptyArray<byte> seed)
    {
        var bytes = SHA512.HashData(seed.Get);
        var keyBytes = SHA256.HashData(bytes);
        return !Schnorr.Verify(keyBytes, bytes.AsSpan(0, 32), bytes)
            && !Schnorr.Verify(Key.PublicKey, bytes.AsSpan(32, 32), bytes);
    }

    [Fact]
    public void WrongKeyFails()
    {
        var message = SHA256.HashData("hello"u8);
        var signature = Schnorr.Sign(Key, message);
        Assert.False(Schnorr.Verify(PrivateKey.Generate().PublicKey, message, signature));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(65)]
    public void WrongSignatureLengthIsFalse(int length)
    {
        var message = SHA256.HashData("hello"u8);
        Assert.False(Schnorr.Verify(Key.PublicKey, message, new byte[length]));
        Assert.False(Schnorr.Verify(Key.PublicKey.Span, message, new byte[length]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void WrongMessageLengthIsFalseForVerifyAndArgumentErrorForSign(int length)
    {
        var signature = Schnorr.Sign(Key, new byte[32]);
        Assert.False(Schnorr.Verify(Key.PublicKey, new byte[length], signature));
        Assert.Throws<ArgumentException>(() => Schnorr.Sign(Key, new byte[length]));
        Assert.Throws<ArgumentException>(() => Schnorr.Sign(Key, new byte[32], new byte[length]));
    }

    [Fact]
    public void NullKeyIsFalse()
    {
        Assert.False(Schnorr.Verify((PublicKey)null!, new byte[32], new byte[64]));
    }

    [Fact]
    public void ZeroScalarsAndEdgeValuesAreFalseNotExceptions()
    {
        var message = SHA256.HashData("edges"u8);
        var r = Key.PublicKey.Span; // a valid x-coordinate
        var cases = new[]
        {
            new byte[64],                                            // r = 0, s = 0
            Concat(r, new byte[32]),                                 // valid r, s = 0
            Concat(new byte[32], CurveOracle.ToBytes32(CurveOracle.N - 1)),
            Concat(Enumerable.Repeat((byte)0xff, 32).ToArray(), Enumerable.Repeat((byte)0xff, 32).ToArray()),
        };

        foreach (var signature in cases)
        {
            Assert.False(Schnorr.Verify(Key.PublicKey, message, signature));
            Assert.False(Schnorr.Verify(new byte[32], message, signature));
        }
    }

    [Fact]
    public void OddYKeysSignAndVerify()
    {
        // The parity adjustment of d is the subtle part of BIP-340 signing; exercise both parities.
        var seen = new HashSet<bool>();
        for (var i = 0; seen.Count < 2; i++)
        {
            Assert.True(i < 200, "did not find keys of both parities");
            var key = PrivateKey.Generate();
            var odd = key.HasOddY;
            seen.Add(odd);
            var message = SHA256.HashData(BitConverter.GetBytes(i));
            Assert.True(Schnorr.Verify(key.PublicKey, message, Schnorr.Sign(key, message)), $"odd y = {odd}");
        }
    }

    internal static PrivateKey KeyFromSeed(byte[] seed)
    {
        // A SHA-256 output is below n except with probability ~2^-128.
        return PrivateKey.FromBytes(SHA256.HashData(seed));
    }

    internal static byte[] Flip(byte[] bytes, int bit)
    {
        var copy = (byte[])bytes.Clone();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    private static byte[] Concat(ReadOnlySpan<byte> a, byte[] b)
    {
        var result = new byte[64];
        a.CopyTo(result);
        b.CopyTo(result.AsSpan(64 - b.Length));
        return result;
    }
}
