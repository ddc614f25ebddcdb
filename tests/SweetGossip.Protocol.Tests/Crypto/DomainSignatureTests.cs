using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Tests.Crypto;

public class DomainSignatureTests
{
    private static readonly PrivateKey Key = PrivateKey.Generate();
    private static readonly byte[] Message = "an arbitrary-length protocol message, not a hash"u8.ToArray();

    [Fact]
    public void VerifiesInItsOwnDomain()
    {
        var signature = DomainSignature.Sign(Key, "broadcast", Message);
        Assert.True(DomainSignature.Verify(Key.PublicKey, "broadcast", Message, signature));
    }

    [Fact]
    public void SignatureForOneDomainFailsForAnother()
    {
        var signature = DomainSignature.Sign(Key, "broadcast", Message);

        Assert.False(DomainSignature.Verify(Key.PublicKey, "certificate", Message, signature));
        Assert.False(DomainSignature.Verify(Key.PublicKey, "broadcas", Message, signature));
        Assert.False(DomainSignature.Verify(Key.PublicKey, "Broadcast", Message, signature));
    }

    [Fact]
    public void IsSchnorrOverTheTaggedHash()
    {
        var signature = DomainSignature.Sign(Key, "reply", Message);
        var digest = TaggedHash.Compute("SweetGossip/reply", Message);

        Assert.True(Schnorr.Verify(Key.PublicKey, digest, signature));
    }

    [Fact]
    public void PlainSchnorrSignatureOfTheSameBytesIsNotADomainSignature()
    {
        var message32 = new byte[32];
        var plain = Schnorr.Sign(Key, message32);
        Assert.False(DomainSignature.Verify(Key.PublicKey, "broadcast", message32, plain));
    }

    [Fact]
    public void EmptyMessageWorks()
    {
        var signature = DomainSignature.Sign(Key, "ping", ReadOnlySpan<byte>.Empty);
        Assert.True(DomainSignature.Verify(Key.PublicKey, "ping", ReadOnlySpan<byte>.Empty, signature));
    }

    [Fact]
    public void LargeMessageWorks()
    {
        var message = new byte[100_000];
        new Random(7).NextBytes(message);
        var signature = DomainSignature.Sign(Key, "blob", message);

        Assert.True(DomainSignature.Verify(Key.PublicKey, "blob", message, signature));
        message[^1] ^= 1;
        Assert.False(DomainSignature.Verify(Key.PublicKey, "blob", message, signature));
    }

    [Fact]
    public void BadInputIsFalse()
    {
        var signature = DomainSignature.Sign(Key, "broadcast", Message);

        Assert.False(DomainSignature.Verify(PrivateKey.Generate().PublicKey, "broadcast", Message, signature));
        Assert.False(DomainSignature.Verify(Key.PublicKey, "broadcast", Message, signature.AsSpan(1)));
        Assert.False(DomainSignature.Verify(null!, "broadcast", Message, signature));
    }

    [Fact]
    public void EmptyDomainIsAProgrammingError()
    {
        Assert.Throws<ArgumentException>(() => DomainSignature.Sign(Key, "", Message));
        Assert.Throws<ArgumentNullException>(() => DomainSignature.Sign(Key, null!, Message));
    }
}
