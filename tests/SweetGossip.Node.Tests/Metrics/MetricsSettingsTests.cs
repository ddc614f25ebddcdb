using System.Net;
using Akka.Configuration;
using SweetGossip.Node.Hosting;

namespace SweetGossip.Node.Tests.Metrics;

/// <summary><c>sweetgossip.metrics.listen</c>: loopback by default, off on request, anything unreadable refused naming the key.</summary>
public class MetricsSettingsTests
{
    private static MetricsSettings Read(string hocon)
    {
        var file = ConfigurationFactory.ParseString(hocon);
        return MetricsSettings.From(file.WithFallback(NodeConfig.Reference), file);
    }

    [Fact]
    public void The_default_is_loopback_port_9464_and_not_the_operators_own()
    {
        var settings = Read("");
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9464), settings.EndPoint);
        Assert.False(settings.Explicit);
        Assert.False(settings.Exposed);
    }

    [Theory]
    [InlineData("sweetgossip.metrics.listen = off")]
    [InlineData("sweetgossip.metrics.listen = \"\"")]
    [InlineData("sweetgossip.metrics.listen = \" off \"")]
    public void Off_or_empty_means_no_endpoint(string hocon) => Assert.False(Read(hocon).Enabled);

    [Fact]
    public void A_wildcard_address_written_by_the_operator_is_taken_and_marked_exposed()
    {
        var settings = Read("sweetgossip.metrics.listen = \"0.0.0.0:9464\"");
        Assert.Equal(new IPEndPoint(IPAddress.Any, 9464), settings.EndPoint);
        Assert.True(settings.Explicit);
        Assert.True(settings.Exposed);
    }

    [Fact]
    public void Localhost_is_loopback() => Assert.Equal(new IPEndPoint(IPAddress.Loopback, 0), Read("sweetgossip.metrics.listen = \"localhost:0\"").EndPoint);

    [Fact]
    public void The_ipv6_wildcard_is_taken() => Assert.Equal(new IPEndPoint(IPAddress.IPv6Any, 9464), Read("sweetgossip.metrics.listen = \"[::]:9464\"").EndPoint);

    [Theory]
    [InlineData("sweetgossip.metrics.listen = \"prometheus.example:9464\"", "sweetgossip.metrics.listen: 'prometheus.example:9464': listen on an IP address")]
    [InlineData("sweetgossip.metrics.listen = \"127.0.0.1\"", "sweetgossip.metrics.listen: '127.0.0.1': expected host:port")]
    [InlineData("sweetgossip.metrics.listen = \"127.0.0.1:70000\"", "sweetgossip.metrics.listen: '127.0.0.1:70000': expected host:port")]
    [InlineData("sweetgossip.metrics.listen = \"[::1]:9464\"", "sweetgossip.metrics.listen: '[::1]:9464': the metrics endpoint takes an IPv4 address")]
    [InlineData("sweetgossip.metrics.listen = yes", "sweetgossip.metrics.listen: 'yes': expected host:port")]
    [InlineData("sweetgossip.metrics.listen = [\"127.0.0.1:9464\"]", "sweetgossip.metrics.listen: must be a single value")]
    [InlineData("sweetgossip.metrics.listen = { port = 9464 }", "sweetgossip.metrics.listen: must be a single value")]
    public void A_bad_listen_value_is_refused_naming_the_key(string hocon, string expected)
    {
        var e = Assert.Throws<NodeConfigException>(() => Read(hocon));
        Assert.StartsWith(expected, e.Message);
        Assert.Equal(MetricsSettings.ListenKey, e.Key);
    }
}
