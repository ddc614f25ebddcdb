namespace SweetGossip.Cli.Tests;

public sealed class LnCommandTests : CliTestBase
{
    // BOLT 11 "Examples": please send $3 for a cup of coffee to the same peer, within one minute.
    private const string CoffeeInvoice =
        "lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh";

    [Fact]
    public void An_invoice_it_writes_decodes_to_what_was_asked()
    {
        var key = NewKey("node.json");
        var created = Ok("ln", "invoice", "--amount-sat", "2500", "--memo", "ride r3gx2g5", "--key", key, "--json").Json();
        var bolt11 = created.GetProperty("payment_request").GetString()!;
        Assert.StartsWith("lnbcrt25u1", bolt11);

        var decoded = Ok("ln", "decode", bolt11, "--json").Json();
        Assert.Equal(2500UL, decoded.GetProperty("num_satoshis").GetUInt64());
        Assert.Equal("ride r3gx2g5", decoded.GetProperty("description").GetString());
        Assert.Equal(created.GetProperty("payment_hash").GetString(), decoded.GetProperty("payment_hash").GetString());
        Assert.Equal(created.GetProperty("payee").GetString(), decoded.GetProperty("destination").GetString());
        Assert.Equal("regtest", decoded.GetProperty("network").GetString());
    }

    [Fact]
    public void A_given_preimage_fixes_the_payment_hash()
    {
        var preimage = new string('1', 64);
        var created = Ok("ln", "invoice", "--amount-sat", "1", "--preimage", preimage, "--network", "mainnet", "--json").Json();
        Assert.Equal(preimage, created.GetProperty("preimage").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Convert.FromHexString(preimage))),
            created.GetProperty("payment_hash").GetString());
        Assert.StartsWith("lnbc10n1", created.GetProperty("payment_request").GetString());
    }

    [Fact]
    public void The_spec_coffee_example_decodes()
    {
        var decoded = Ok("ln", "decode", CoffeeInvoice, "--json").Json();
        Assert.Equal("03e7156ae33b0a208d0744199163177e909e80176e55d97a2f221ede0f934dd9ad", decoded.GetProperty("destination").GetString());
        Assert.Equal(250_000UL, decoded.GetProperty("num_satoshis").GetUInt64());
        Assert.Equal("1 cup coffee", decoded.GetProperty("description").GetString());
        Assert.Equal(60UL, decoded.GetProperty("expiry").GetUInt64());
    }

    [Fact]
    public void A_fallback_address_is_shown_as_the_address_the_spec_names()
    {
        // BOLT 11's P2WPKH example.
        const string invoice =
            "lnbc20m1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygshp58yjmdan79s6qqdhdzgynm4zwqd5d7xmw5fk98klysy043l2ahrqspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqfppqw508d6qejxtdg4y5r3zarvary0c5xw7k9qrsgqt29a0wturnys2hhxpner2e3plp6jyj8qx7548zr2z7ptgjjc7hljm98xhjym0dg52sdrvqamxdezkmqg4gdrvwwnf0kv2jdfnl4xatsqmrnsse";
        var decoded = Ok("ln", "decode", invoice, "--json").Json();
        Assert.Equal("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", decoded.GetProperty("fallback_addrs")[0].GetString());
        Assert.Contains("fallback     bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", Ok("ln", "decode", invoice).Out);
        Assert.Contains("fallback     none", Ok("ln", "decode", CoffeeInvoice).Out);
    }

    [Fact]
    public void A_broken_invoice_is_one_line_naming_the_reason()
    {
        var tampered = CoffeeInvoice[..^1] + (CoffeeInvoice[^1] == 'h' ? 'j' : 'h');
        Assert.Contains("checksum", AssertOneLineError(Run("ln", "decode", tampered)));
        Assert.Contains("--amount-sat", AssertOneLineError(Run("ln", "invoice", "--amount-sat", "0")));
        Assert.Contains("--network", AssertOneLineError(Run("ln", "invoice", "--amount-sat", "5", "--network", "moon")));
        Assert.Contains("--preimage", AssertOneLineError(Run("ln", "invoice", "--amount-sat", "5", "--preimage", "abcd")));
    }
}
