using SweetGossip.Daemon.Control;

namespace SweetGossip.Cli.Tests;

/// <summary>Which Host and Origin values the control endpoint takes for its own machine's loopback.</summary>
public class LoopbackNamesTests
{
    [Theory]
    [InlineData("localhost")]
    [InlineData("localhost:9736")]
    [InlineData("LocalHost:9736")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:9736")]
    [InlineData("127.0.0.2:80")]
    [InlineData("[::1]")]
    [InlineData("[::1]:9736")]
    public void Loopback_hosts_pass(string host) => Assert.True(LoopbackNames.IsLoopbackHost(host));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("evil.example")]
    [InlineData("evil.example:9736")]
    [InlineData("localhost.evil.example")]
    [InlineData("127.0.0.1.evil.example:9736")]
    [InlineData("localhost.")]
    [InlineData("127.1:9736")]
    [InlineData("2130706433")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("::1")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("[fe80::1]:9736")]
    [InlineData("0.0.0.0:9736")]
    [InlineData("192.168.1.10:9736")]
    [InlineData("localhost:")]
    [InlineData("localhost:99999")]
    [InlineData("localhost:97a6")]
    [InlineData("localhost:9736:1")]
    [InlineData("user@localhost:9736")]
    public void Dns_rebinding_hosts_and_other_names_are_refused(string? host) => Assert.False(LoopbackNames.IsLoopbackHost(host));

    [Theory]
    [InlineData("http://localhost:9736")]
    [InlineData("http://127.0.0.1:9736")]
    [InlineData("https://localhost")]
    [InlineData("http://[::1]:9736")]
    public void Loopback_origins_pass(string origin) => Assert.True(LoopbackNames.IsLoopbackOrigin(origin));

    [Theory]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("https://evil.example")]
    [InlineData("http://localhost.evil.example:9736")]
    [InlineData("http://127.0.0.1.evil.example")]
    [InlineData("file://")]
    [InlineData("chrome-extension://abcdef")]
    [InlineData("http://user@localhost:9736")]
    public void Cross_site_origins_are_refused(string origin) => Assert.False(LoopbackNames.IsLoopbackOrigin(origin));
}
