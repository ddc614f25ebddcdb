using System.Net;
using System.Net.Sockets;

namespace SweetGossip.Cli.Tests;

/// <summary>
/// `sgossip node run` on a port another process holds: the start is refused, the process exits non-zero, and its one
/// error line names the setting and the address it could not bind (the cluster port once ended with an error about a
/// null 'source': the host's failed stop hid the actor system's bind failure).
/// </summary>
public class StartupPortTakenTests : CliTestBase
{
    [Fact]
    public async Task A_cluster_port_that_is_taken_stops_the_start_naming_the_address()
    {
        var ca = NewAuthority();
        Issue(ca, NewKey("hub.key"), "hub.cert");
        using var taken = Taken(out var port);
        var config = WriteNodeConfig("member", PublicKeyOf(ca), "hub", [], section: $$"""
              cluster {
                seed-nodes = ["akka.tcp://sgossip@127.0.0.1:{{port}}"]
                hostname = "127.0.0.1"
                port = {{port}}
                min-nr-of-members = 1
              }
            """);

        var line = await RefusedAsync(config);

        Assert.Contains($"error: sweetgossip.cluster: cannot bind the cluster address 127.0.0.1:{port}", line);
        Assert.DoesNotContain("'source'", line);
    }

    [Fact]
    public async Task A_peer_listen_port_that_is_taken_stops_the_start_naming_the_key()
    {
        var ca = NewAuthority();
        Issue(ca, NewKey("node.key"), "node.cert");
        using var taken = Taken(out var port);
        var config = WriteNodeConfig("node", PublicKeyOf(ca), "node", [], nodeExtra: $$"""
            listen = "127.0.0.1:{{port}}"
            reply-policy = { kind = none }
            """);

        var line = await RefusedAsync(config);

        Assert.Contains($"error: sweetgossip.node.listen: cannot listen on 127.0.0.1:{port}", line);
    }

    [Fact]
    public async Task A_control_port_that_is_taken_stops_the_start_naming_the_key()
    {
        var ca = NewAuthority();
        Issue(ca, NewKey("node.key"), "node.cert");
        using var taken = Taken(out var port);
        var config = WriteNodeConfig("node", PublicKeyOf(ca), "node", [], section: $"control.listen = \"127.0.0.1:{port}\"");

        var line = await RefusedAsync(config);

        Assert.Contains($"error: sweetgossip.control.listen: cannot listen on 127.0.0.1:{port}", line);
    }

    /// <summary>Starts the node, waits for it to exit on its own, asserts a non-zero exit and returns its error line.</summary>
    private static async Task<string> RefusedAsync(string config)
    {
        await using var node = NodeProcessHandle.Start("node", config);
        var exitCode = await node.ExitCodeAsync();
        Assert.True(exitCode != 0, $"the node started on a taken port (exit {exitCode}):\n{node.Output}");
        var errors = node.Output.Split('\n').Where(l => l.StartsWith("stderr: ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, $"expected one line on stderr:\n{node.Output}");
        return errors[0];
    }

    /// <summary>A loopback port held open by this test for as long as the listener lives.</summary>
    private static TcpListener Taken(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }
}
