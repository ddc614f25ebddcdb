using NBitcoin;
using SweetGossip.Lightning.Bolt11;
using static SweetGossip.Lightning.Tests.Bolt11.SpecVectors;

namespace SweetGossip.Lightning.Tests.Bolt11;

/// <summary>BOLT 11 <c>f</c> fields as the Bitcoin addresses the spec's examples name (NBitcoin's encodings).</summary>
public sealed class FallbackAddressTests
{
    public static TheoryData<string, string> SpecExamples() => new()
    {
        { TestnetP2Pkh, "mk2QpYatsKicvFVuTAQLBryyccRXMUaGHP" },
        { MainnetP2PkhWithRoute, "1RustyRX2oai4EYYDpQGWvEL62BBGqN9T" },
        { MainnetP2Sh, "3EktnHQD7RiAE6uzMj2ZifT9YgRrkSgzQX" },
        { MainnetP2Wpkh, "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4" },
        { MainnetP2Wsh, "bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3" },
        { MainnetP2Tr, "bc1pptdvg0d2nj99568qn6ssdy4cygnwuxgw2ukmnwgwz7jpqjz2kszse2s3lm" },
    };

    [Theory]
    [MemberData(nameof(SpecExamples))]
    public void The_spec_examples_fallbacks_are_the_addresses_the_spec_names(string invoice, string address)
    {
        var decoded = Bolt11Codec.Decode(invoice);
        var fallback = Assert.Single(decoded.FallbackAddresses);
        Assert.Equal(address, fallback.ToAddress(decoded.Network));
        Assert.Equal(fallback, FallbackAddress.FromAddress(address, decoded.Network));
    }

    [Fact]
    public void Each_network_writes_its_own_address_prefixes()
    {
        var p2wpkh = new FallbackAddress(0, new byte[20]);
        Assert.StartsWith("bc1q", p2wpkh.ToAddress(LightningNetwork.Mainnet));
        Assert.StartsWith("tb1q", p2wpkh.ToAddress(LightningNetwork.Testnet));
        Assert.StartsWith("tb1q", p2wpkh.ToAddress(LightningNetwork.Signet)); // signet invoices say lntbs, addresses tb
        Assert.StartsWith("bcrt1q", p2wpkh.ToAddress(LightningNetwork.Regtest));
        Assert.Equal(Network.RegTest, LightningNetwork.Regtest.BitcoinNetwork());
        Assert.Equal("signet", LightningNetwork.Signet.BitcoinNetwork().Name);
    }

    [Fact]
    public void A_future_witness_version_round_trips_as_bech32m()
    {
        var future = new FallbackAddress(2, [1, 2, 3, 4, 5, 6, 7, 8]);
        var address = future.ToAddress(LightningNetwork.Mainnet);
        Assert.StartsWith("bc1z", address);
        Assert.Equal(future, FallbackAddress.FromAddress(address, LightningNetwork.Mainnet));
        Assert.Equal(future, FallbackAddress.FromAddress(address.ToUpperInvariant(), LightningNetwork.Mainnet));
    }

    [Theory]
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4", LightningNetwork.Testnet)] // mainnet address
    [InlineData("mk2QpYatsKicvFVuTAQLBryyccRXMUaGHP", LightningNetwork.Mainnet)] // testnet address
    [InlineData("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", LightningNetwork.Mainnet)] // bad checksum
    [InlineData("not an address", LightningNetwork.Mainnet)]
    public void An_address_of_another_network_or_no_address_is_refused(string address, LightningNetwork network)
    {
        Assert.Throws<FormatException>(() => FallbackAddress.FromAddress(address, network));
    }
}
