using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Tests.Crypto;

public class SealedBoxTests
{
    private const string AuthenticationFailed = "sealed box failed authentication (wrong key, wrong secret or tampered)";

    private static readonly PrivateKey Recipient = PrivateKey.Generate();
    private static readonly byte[] Plaintext = "the reply body"u8.ToArray();
    private static readonly byte[] Ad = "frame header"u8.ToArray();
    private static readonly byte[] Preimage = Convert.FromHexString("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(100_000)]
    public void RoundTrips(int length)
    {
        var plaintext = new byte[length];
        new Random(length).NextBytes(plaintext);

        var box = SealedBox.Seal(Recipient.PublicKey, plaintext, Ad);

        Assert.Equal(SealedBox.Overhead + length, box.Length);
        Assert.Equal(plaintext, SealedBox.Open(Recipient, box, Ad));
    }

    [Fact]
    public void RoundTripsWithExtraSecretAndNoAssociatedData()
    {
        var box = SealedBox.Seal(Recipient.PublicKey, Plaintext, default, Preimage);
        Assert.Equal(Plaintext, SealedBox.Open(Recipient, box, default, Preimage));
    }

    [Fact]
    public void RoundTripsForOddYRecipient()
    {
        var recipient = EcdhTests.FindKey(odd: true);
        var box = SealedBox.Seal(recipient.PublicKey, Plaintext, Ad, Preimage);
        Assert.Equal(Plaintext, SealedBox.Open(recipient, box, Ad, Preimage));
    }

    [Fact]
    public void LayoutStartsWithAValidEphemeralKeyAndIsFreshEachTime()
    {
        var a = SealedBox.Seal(Recipient.PublicKey, Plaintext, Ad);
        var b = SealedBox.Seal(Recipient.PublicKey, Plaintext, Ad);

        Assert.True(PublicKey.TryFromBytes(a.AsSpan(0, 32), out _));
        Assert.NotEqual(a.AsSpan(0, 32).ToArray(), b.AsSpan(0, 32).ToArray());
        Assert.NotEqual(a, b);
        Assert.Equal(60, SealedBox.Overhead);
    }

    [Fact]
    public void WrongKeyFails()
    {
        var box = SealedBox.Seal(Recipient.PublicKey, Plaintext, Ad);
        AssertAuthFails(() => SealedBox.Open(PrivateKey.Generate(), box, Ad));
    }

    [Fact]
    public void WrongOrMissingExtraSecretFails()
    {
        var box = SealedBox.Seal(Recipient.PublicKey, Plaintext, Ad, Preimage);

        var wrong = (byte[])Preimage.Clone();
        wrong[0] ^= 1;
        AssertAuthFails(() => SealedBox.Open(Recipient, box, Ad, wrong));
        AssertAuthFails(() => SealedBox.Open(Recipient, box, Ad));

        var unlocked = SealedBox.Seal(Recipient.PublicKey, Plaintext, Ad);
        AssertAuthFails(() => SealedBox.Open(Recipient, unlocked, Ad, Preimage));
    }

    [Fact]
    public void WrongAssociatedDataFails()
    {
        var box = SealedBox.Seal(Recipient.PublicKey, Plaintext, Ad);
        AssertAuthFails(() => SealedBox.Open(Recipient, box, "other header"u8));
        AssertAuthFails(() => SealedBox.Open(Recipient, box, default));
    }

    [Fact]
    public void AnyFlippedByteFails()
    {
        var box = SealedBox.Seal(Recipient.PublicKey, Plaintext, Ad, Preimage);
        for (var i = 0; i < box.Length; i++)
        {
            var tampered = (byte[])box.Clone();
            tampered[i] ^= 0x01;
            var e = Assert.Throws<CryptoFormatException>(() => SealedBox.Open(Recipient, tampered, Ad, Preimage));
            Assert.True(e.Message == AuthenticationFailed, $"byte {i}: {e.Message}");
        }
    }

    [Fact]
    public void TruncatedOrExtendedBoxFails()
    {
        var box = SealedBox.Seal(Recipient.PublicKey, Plaintext, Ad);
        AssertAuthFails(() => SealedBox.Open(Recipient, box.AsSpan(0, box.Length - 1), Ad));
        AssertAuthFails(() => SealedBox.Open(Recipient, [.. box, 0], Ad));
    }

    [Fact]
    public void EphemeralKeyOffTheCurveFailsAuthentication()
    {
        var box = SealedBox.Seal(Recipient.PublicKey, Plaintext, Ad);
        Bip340Vector.Get(5).PublicKey.CopyTo(box, 0); // an x with no point on the curve
        AssertAuthFails(() => SealedBox.Open(Recipient, box, Ad));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(59)]
    public void TooShortInputFails(int length)
    {
        var e = Assert.Throws<CryptoFormatException>(() => SealedBox.Open(Recipient, new byte[length], Ad));
        Assert.Equal("sealed box is too short", e.Message);
    }

    [Fact]
    public void MinimumLengthGarbageFailsAuthentication()
    {
        var box = SealedBox.Seal(Recipient.PublicKey, [], Ad);
        Assert.Equal(60, box.Length);
        var garbage = new byte[60];
        Recipient.PublicKey.Span.CopyTo(garbage);
        AssertAuthFails(() => SealedBox.Open(Recipient, garbage, Ad));
    }

    private static void AssertAuthFails(Func<byte[]> open)
    {
        var e = Assert.Throws<CryptoFormatException>(open);
        Assert.Equal(AuthenticationFailed, e.Message);
    }
}
