using System.Net;
using System.Net.Sockets;

namespace SweetGossip.Cli.Tests;

/// <summary>`node run|status`, `topic broadcast`, `replies` when things are wrong: one clear line each.</summary>
public class NodeCommandTests : CliTestBase
{
    [Fact]
    public void Node_run_without_its_config_file_says_so()
    {
        var line = AssertOneLineError(Run("node", "run", "--config", PathOf("missing.conf")));
        Assert.Equal($"error: file not found: {PathOf("missing.conf")}", line);
    }

    [Fact]
    public void Node_run_with_a_bad_setting_names_the_file_and_the_key()
    {
        var ca = NewAuthority();
        var key = NewKey("node.key");
        Issue(ca, key, "node.cert");
        File.WriteAllText(PathOf("node.conf"), $$"""
            sweetgossip.node {
              identity-key-file = "node.key"
              certificate-file = "node.cert"
              trusted-authorities = [{ name = "Sydney Taxi Council", public-key = "{{PublicKeyOf(ca)}}" }]
              fanout = 0
            }
            """);

        var line = AssertOneLineError(Run("node", "run", "--config", PathOf("node.conf")));

        Assert.Equal($"error: {PathOf("node.conf")}: sweetgossip.node.fanout: must be 1..64 (got 0)", line);
    }

    [Fact]
    public void Node_run_with_a_file_hocon_cannot_read_says_so()
    {
        // Akka's HOCON parser forgives most syntax; an unresolved substitution it does not.
        File.WriteAllText(PathOf("node.conf"), "sweetgossip.node.fanout = ${nowhere}");
        Assert.StartsWith($"error: {PathOf("node.conf")}: not valid HOCON", AssertOneLineError(Run("node", "run", "--config", PathOf("node.conf"))));
    }

    [Theory]
    [InlineData("node", "status")]
    [InlineData("replies")]
    [InlineData("topic", "broadcast", "--lat", "1", "--lon", "2")]
    public void Commands_for_a_running_node_say_when_nothing_answers(params string[] args)
    {
        // A port held bound but not listening: connecting is refused.
        using var holder = new Socket(SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var url = $"http://{holder.LocalEndPoint}";

        var line = AssertOneLineError(Run([.. args, "--control", url]));

        Assert.StartsWith($"error: cannot reach the node's control endpoint at {url}", line);
    }

    [Fact]
    public void A_control_url_that_is_not_http_is_refused()
    {
        Assert.Equal("error: --control: 'ftp://x' is not an http URL (e.g. http://127.0.0.1:9736)", AssertOneLineError(Run("node", "status", "--control", "ftp://x")));
    }
}
