using System.Net;
using SweetGossip.Protocol.Gossip;

namespace SweetGossip.Node.Tests.Transport;

public class AddressPrefixTests
{
    [Theory]
    [InlineData("203.0.113.7", 24, "203.0.113.0/24")]
    [InlineData("203.0.113.255", 24, "203.0.113.0/24")]
    [InlineData("203.0.113.7", 32, "203.0.113.7/32")]
    [InlineData("203.0.119.7", 20, "203.0.112.0/20")]
    [InlineData("127.0.1.3", 24, "127.0.1.0/24")]
    [InlineData("::ffff:203.0.113.7", 24, "203.0.113.0/24")] // IPv4-mapped counts as IPv4
    [InlineData("2001:db8:1:2:3:4:5:6", 64, "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff::1", 64, "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2f:3:4:5:6", 60, "2001:db8:1:20::/60")]
    [InlineData("fe80::1%2", 64, "fe80::/64")] // the scope id is not part of the prefix
    public void An_address_is_counted_under_its_prefix(string address, int length, string expected)
    {
        var ip = IPAddress.Parse(address);
        var prefix = AddressPrefix.Network(ip, ipv4Length: Math.Min(length, 32), ipv6Length: length); // each case is of one family
        Assert.Equal(IPNetwork.Parse(expected), prefix);
        Assert.Equal(expected, prefix.ToString());
    }

    [Fact]
    public void Addresses_of_one_prefix_are_one_key_and_of_neighbouring_prefixes_are_not()
    {
        IPNetwork Of(string a) => AddressPrefix.Network(IPAddress.Parse(a), 24, 64);
        Assert.Equal(Of("198.51.100.1"), Of("198.51.100.254"));
        Assert.NotEqual(Of("198.51.100.1"), Of("198.51.101.1"));
        Assert.Equal(Of("2001:db8::1"), Of("2001:db8::ffff:ffff:ffff:1"));
        Assert.NotEqual(Of("2001:db8::1"), Of("2001:db8:0:1::1"));
    }
}
