using System.Security.Cryptography;
using SweetGossip.Lightning.Bolt11;
using RecoverableEcdsa = SweetGossip.Protocol.Crypto.RecoverableEcdsa;
using static SweetGossip.Lightning.Tests.Bolt11.SpecVectors;

namespace SweetGossip.Lightning.Tests.Bolt11;

public sealed class RecoverableEcdsaTests
{
    // Donation example: SHA-256 of its signing data, and its (r, s) with recovery id 1 (from the spec's breakdown).
    private const string DonationHashHex = "6daf4d488be41ce7cbb487cab1ef2975e5efcea879b20d421f0ef86b07cbb987";
    private const string DonationSignatureHex =
        "8d3ce9e28357337f62da0162d9454df827f83cfe499aeb1c1db349d4d81127425e434ca29929406c23bba1ae8ac6ca32880b38d4bf6ff874024cac34ba9625f1";

    private const string DonationHighSSignatureHex =
        "8d3ce9e28357337f62da0162d9454df827f83cfe499aeb1c1db349d4d8112742a1bcb35d66d6bf93dc445e51753935cc32a3a411efd8a7c7bd85b25815a01b50";

    [Fact]
    public void Rfc6979_signature_matches_the_spec_breakdown()
    {
        var (signature, recoveryId) = RecoverableEcdsa.SignRecoverable(Hex(DonationHashHex), PrivateKey);
        Assert.Equal(DonationSignatureHex, Convert.ToHexString(signature).ToLowerInvariant());
        Assert.Equal(1, recoveryId);
    }

    [Fact]
    public void Recovery_returns_the_signing_key()
        => Assert.Equal(Hex(PayeeNodeIdHex), RecoverableEcdsa.Recover(Hex(DonationHashHex), Hex(DonationSignatureHex), 1));

    [Fact]
    public void High_S_recovers_and_verifies_like_the_normalised_signature_with_the_opposite_parity()
    {
        var hash = Hex(DonationHashHex);
        var highS = Hex(DonationHighSSignatureHex);
        Assert.False(RecoverableEcdsa.IsLowS(highS));
        Assert.True(RecoverableEcdsa.IsLowS(Hex(DonationSignatureHex)));

        // (r, n - s) is R negated: the same key comes back with the other parity bit in the recovery id.
        Assert.Equal(Hex(PayeeNodeIdHex), RecoverableEcdsa.Recover(hash, highS, 0));
        Assert.Equal(Hex(HighSRecoveredNodeIdHex), RecoverableEcdsa.Recover(hash, highS, 1));

        // Plain ECDSA verification accepts either S; the BOLT 11 reader adds the low-S rule itself.
        Assert.True(RecoverableEcdsa.Verify(hash, highS, Hex(PayeeNodeIdHex)));
        Assert.True(RecoverableEcdsa.Verify(hash, Hex(DonationSignatureHex), Hex(PayeeNodeIdHex)));
    }

    [Fact]
    public void Recovery_rejects_out_of_range_values()
    {
        var hash = Hex(DonationHashHex);
        Assert.Null(RecoverableEcdsa.Recover(hash, new byte[64], 0)); // r = s = 0
        Assert.Null(RecoverableEcdsa.Recover(hash, Hex(DonationSignatureHex), 4));
        var rTooLarge = Hex(DonationSignatureHex);
        rTooLarge.AsSpan(0, 32).Fill(0xff);
        Assert.Null(RecoverableEcdsa.Recover(hash, rTooLarge, 0));
        // r = n - 1 < p, but r + n >= p: recovery ids 2 and 3 are impossible.
        var rNearN = Hex(DonationSignatureHex);
        Hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140").CopyTo(rNearN, 0);
        Assert.Null(RecoverableEcdsa.Recover(hash, rNearN, 2));
    }

    [Fact]
    public void Random_keys_sign_low_S_and_recover_themselves()
    {
        var random = new Random(7);
        for (var i = 0; i < 40; i++)
        {
            var key = new byte[32];
            random.NextBytes(key);
            key[0] &= 0x7f; // stay below the group order
            key[31] |= 1; // and above zero
            var message = new byte[random.Next(0, 100)];
            random.NextBytes(message);
            var hash = SHA256.HashData(message);

            var (signature, recoveryId) = RecoverableEcdsa.SignRecoverable(hash, key);
            Assert.True(RecoverableEcdsa.IsLowS(signature));
            var publicKey = RecoverableEcdsa.GetPublicKey(key);
            Assert.Equal(publicKey, RecoverableEcdsa.Recover(hash, signature, recoveryId));
            Assert.True(RecoverableEcdsa.Verify(hash, signature, publicKey));
        }
    }

    [Fact]
    public void Invalid_private_keys_are_refused()
    {
        Assert.Throws<ArgumentException>(() => RecoverableEcdsa.GetPublicKey(new byte[32]));
        Assert.Throws<ArgumentException>(() => RecoverableEcdsa.GetPublicKey(new byte[31]));
        Assert.Throws<ArgumentException>(() => RecoverableEcdsa.GetPublicKey(Hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")));
    }

    [Fact]
    public void Public_key_parsing_requires_a_compressed_point_on_the_curve()
    {
        Assert.True(RecoverableEcdsa.IsValidPublicKey(Hex(PayeeNodeIdHex)));
        var notOnCurve = Hex(PayeeNodeIdHex);
        notOnCurve.AsSpan(1).Clear();
        notOnCurve[32] = 5; // x = 5: 5^3 + 7 = 132 is not a square mod p
        Assert.False(RecoverableEcdsa.IsValidPublicKey(notOnCurve));
        var badPrefix = Hex(PayeeNodeIdHex);
        badPrefix[0] = 0x04;
        Assert.False(RecoverableEcdsa.IsValidPublicKey(badPrefix));
    }
}
