using System.Security.Cryptography;
using System.Text;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Tests.Crypto;

/// <summary>
/// Outputs recorded from the earlier BouncyCastle implementation (commit 9e50cb8) with the same inputs:
/// moving the curve arithmetic to libsecp256k1 changed no derived secret, no sealed box and no signature,
/// so handshakes, stored boxes and seeded simulations are byte for byte what they were.
/// </summary>
public class UnchangedOutputTests
{
    [Theory]
    [InlineData(0, "d4b2991408d567f893fb0495c6944cc4702cb72aa6dccc7267979cd125ad4c06", "d9f767843907631ef8bbb6dde9d3b4224007f231ddf514b61e03bab14d1dedf3", "802f789828eca2eaed8a4333c21ec979281353fc81c239b57119ad38345c36b2")]
    [InlineData(1, "320cb90fb2f2127ae5f1935093859c1712451ea5822ec66df6ca248c901ef9fd", "5e21fa2aaf225023547fd9554502fa49877e444328343630c93d117bed5e1e18", "78984953ac296ba1a2a07b98cbda0bf91789a0158e0bba1911d60f6438108f39")]
    [InlineData(2, "49e697d5bf4101770b8c38fd827a5ceca2a6802a532806286240312bb233533e", "2db1e5f52f3e38b0dc70cae47cbf35b52adbc2f9cf13622eb0c0f92ebd5a9c89", "2e995b38b60ebe2d773b0083c6922fba9d9c02a00f1220c95eb792fe7d9363d6")]
    [InlineData(3, "bfb391c9b8ba44d588d4429efc3fedd93cd4c002bbecf3f755c4551fd5954174", "8e370630b08500f3b3b00b42f584d78d21a421f7008111af9ed90d897b2e731d", "903dabc4fd3515e79e5ea61d76449a2a9172668f9203d05b8bbb6ef343d0844c")]
    public void EcdhSecretsAreTheXCoordinateAsBefore(int index, string publicA, string publicB, string secret)
    {
        var a = Key($"ecdh-a-{index}");
        var b = Key($"ecdh-b-{index}");
        Assert.Equal(publicA, a.PublicKey.ToHex());
        Assert.Equal(publicB, b.PublicKey.ToHex());
        Assert.Equal(secret, Hex.Encode(Ecdh.SharedSecret(a, b.PublicKey)));
        Assert.Equal(secret, Hex.Encode(Ecdh.SharedSecret(b, a.PublicKey)));
    }

    [Fact]
    public void TheVectorsCoverBothParities()
    {
        var keys = Enumerable.Range(0, 4).SelectMany(i => new[] { Key($"ecdh-a-{i}"), Key($"ecdh-b-{i}") }).ToArray();
        Assert.Contains(keys, k => k.HasOddY);
        Assert.Contains(keys, k => !k.HasOddY);
    }

    [Fact]
    public void SeededRandomnessGivesTheSameBoxesSignaturesAndKeys()
    {
        // The simulator's FreshRandomness replacement feeds aux data, ephemeral keys and nonces.
        using var _ = FreshRandomness.ReplaceOnThisThread(Entropy.Seeded(7));
        Assert.Equal(
            "e3b990fbe8571af8c41b4e7767d6a61d154dd5c9f2d3d686a6d58b813bb74b118baf54e41f825b31689c5f65b8549a68fcecdab7b51ec7a15ac72b9950ad6000890c9914ca0d6fecc8",
            Hex.Encode(SealedBox.Seal(Key("sealed-box-recipient").PublicKey, "pay to reveal"u8, "topic"u8, "preimage"u8)));
        Assert.Equal(
            "35bf2c745f7b12e7b9d8f4f40ef1a431abbf389cf854c7b06060668af00e112abc4f88a86506feb5aa98bb58a3f310242d8e080bb36c0d2edb1043b458c73f8b",
            Hex.Encode(Schnorr.Sign(Key("signer"), SHA256.HashData("message"u8))));
        Assert.Equal(
            "02c02ad941dbba473d59e6663999437fbf2801df12998ae822f2d61d751d94d9a33652cb468f819ee64146eb5cb3e0132836d63b2892642d439fb635513eb81c",
            Hex.Encode(DomainSignature.Sign(Key("signer"), "ask", "payload"u8)));
        Assert.Equal("02bb62d02d1367d89dde5c5bd671b18161959693088c77de9381e8df71706ae3", PrivateKey.Generate().PublicKey.ToHex());
    }

    [Fact]
    public void RecoverableEcdsaGivesTheSameKeyAndSignature()
    {
        var secret = Key("signer").ToBytes();
        Assert.Equal("02a4fac163f4665d299c763e163afc5188a8523a7450fbe4432175fafbce630d79", Hex.Encode(RecoverableEcdsa.GetPublicKey(secret)));
        var (signature, recoveryId) = RecoverableEcdsa.SignRecoverable(SHA256.HashData("invoice"u8), secret);
        Assert.Equal(
            "b438766ffb0003575d18cc98b9805d1f8bff31dd01e49ded48a02487c7be7d4a239284091230eea055f6a366cda4ddf965f7dad010f7a5e04672bd7a4acb4c72",
            Hex.Encode(signature));
        Assert.Equal(1, recoveryId);
    }

    private static PrivateKey Key(string seed) => PrivateKey.FromBytes(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));
}
