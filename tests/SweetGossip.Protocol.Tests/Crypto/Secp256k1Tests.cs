using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Tests.Crypto;

public class Secp256k1Tests
{
    private const string Gx = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";

    [Fact]
    public void ConstantsAreSecp256k1()
    {
        Assert.Equal("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f", Hex.Encode(Secp256k1.P));
        Assert.Equal("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", Hex.Encode(Secp256k1.N));
        Assert.Equal(CurveOracle.P, CurveOracle.ToInteger(Secp256k1.P));
    }

    [Fact]
    public void TheNativeLibraryLoadsOnThisPlatform()
    {
        Secp256k1Library.EnsureLoaded();
        Assert.Null(Secp256k1Library.LoadError);
        Assert.Contains(System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString(), Secp256k1Library.Platform);
    }

    [Fact]
    public void FieldElementsAreTheBytesBelowP()
    {
        Assert.False(Secp256k1.IsFieldElement(Secp256k1.P));
        Assert.True(Secp256k1.IsFieldElement(CurveOracle.ToBytes32(CurveOracle.P - 1)));
        Assert.True(Secp256k1.IsFieldElement(new byte[32]));
        Assert.False(Secp256k1.IsFieldElement(Enumerable.Repeat((byte)0xff, 32).ToArray()));
        Assert.False(Secp256k1.IsFieldElement(new byte[31]));
    }

    [Fact]
    public void CompressedPointsOfGAndItsNegationAreValidOthersNot()
    {
        Assert.True(Secp256k1.IsCompressedPoint(Hex.Decode("02" + Gx)));
        Assert.True(Secp256k1.IsCompressedPoint(Hex.Decode("03" + Gx)));
        Assert.False(Secp256k1.IsCompressedPoint(Hex.Decode("04" + Gx)));
        Assert.False(Secp256k1.IsCompressedPoint(Hex.Decode(Gx)));
        Assert.False(Secp256k1.IsCompressedPoint(new byte[33]));
        Assert.False(Secp256k1.IsCompressedPoint([0x02, .. Secp256k1.P]));
    }

    [Property(MaxTest = 200)]
    public Property CompressedPointValidityMatchesTheBigIntegerOracle() =>
        Prop.ForAll(Gen.Choose(0, 255).ArrayOf(32).ToArbitrary(), x =>
        {
            var bytes = x.Select(i => (byte)i).ToArray();
            return Secp256k1.IsCompressedPoint([0x03, .. bytes]) == CurveOracle.HasPoint(CurveOracle.ToInteger(bytes));
        });

    [Fact]
    public void OneSharedContextSignsAndVerifiesFromManyThreadsAtOnce()
    {
        // The context is shared without a lock (see Secp256k1Library): concurrent use must give exactly
        // the results of sequential use.
        var keys = Enumerable.Range(0, 8).Select(i => PrivateKey.FromBytes(SHA256.HashData([(byte)i]))).ToArray();
        var messages = Enumerable.Range(0, 256).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToArray();
        var aux = new byte[32];
        var expected = messages.Select((m, i) => Schnorr.Sign(keys[i % keys.Length], m, aux)).ToArray();

        var signed = new byte[messages.Length][];
        var verified = new bool[messages.Length];
        var secrets = new byte[messages.Length][];
        Parallel.For(0, messages.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var key = keys[i % keys.Length];
            signed[i] = Schnorr.Sign(key, messages[i], aux);
            verified[i] = Schnorr.Verify(key.PublicKey, messages[i], expected[i]);
            secrets[i] = Ecdh.SharedSecret(key, keys[(i + 1) % keys.Length].PublicKey);
        });

        Assert.Equal(expected, signed);
        Assert.All(verified, Assert.True);
        for (var i = 0; i < messages.Length; i++)
            Assert.Equal(Ecdh.SharedSecret(keys[(i + 1) % keys.Length], keys[i % keys.Length].PublicKey), secrets[i]);
    }
}
