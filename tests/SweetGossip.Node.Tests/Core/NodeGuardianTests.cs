using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using SweetGossip.Node.Core;
using SweetGossip.Node.Tests.Support;

namespace SweetGossip.Node.Tests.Core;

/// <summary>
/// One node, one actor under /user (issue 12 item 7): its <see cref="NodeGuardian"/> owns the transport, the settlement
/// and the node actor, so stopping it stops all of them, and none of them outlives the others.
/// </summary>
public class NodeGuardianTests
{
    private static readonly TimeSpan Patience = InProcessNetwork.Timeout;

    [Fact]
    public async Task Stopping_the_guardian_stops_the_transport_closing_its_listener_and_the_settlement()
    {
        await using var net = new InProcessNetwork();
        var node = await net.StartTcpAsync("n", 0);
        var running = node.Running;
        Assert.All(new[] { running.Node, running.Settlement, running.Transport }, child => Assert.Equal(running.Guardian.Path, child.Path.Parent));
        Assert.Equal("/user/n", running.Guardian.Path.ToStringWithoutAddress());
        Assert.False(await RefusedAsync(node.Listening.EndPoint), "the listener accepts before the guardian stops");
        var ends = new[] { running.Transport, running.Settlement, running.Node }.Select(actor => actor.WatchAsync()).ToList();

        net.System.Stop(running.Guardian);

        Assert.All(await Task.WhenAll(ends).WaitAsync(Patience), Assert.True);
        // The listener is unbound by the transport's last act; the socket closes just after.
        await Eventually.Value(() => RefusedAsync(node.Listening.EndPoint), refused => refused, Patience);
    }

    [Fact]
    public async Task A_transport_that_stops_takes_the_whole_node_down_with_it()
    {
        await using var net = new InProcessNetwork();
        var running = (await net.StartTcpAsync("n", 0)).Running;
        var ends = new[] { running.Guardian, running.Settlement, running.Node }.Select(actor => actor.WatchAsync()).ToList();

        net.System.Stop(running.Transport);

        Assert.All(await Task.WhenAll(ends).WaitAsync(Patience), Assert.True);
    }

    [Fact]
    public async Task An_in_memory_node_hangs_under_its_guardian_too()
    {
        await using var net = new InProcessNetwork();
        var running = net.Start("m", 0);
        Assert.All(new[] { running.Node, running.Settlement, running.Transport }, child => Assert.Equal(running.Guardian.Path, child.Path.Parent));
        var ends = new[] { running.Transport, running.Settlement, running.Node }.Select(actor => actor.WatchAsync()).ToList();

        net.System.Stop(running.Guardian);

        Assert.All(await Task.WhenAll(ends).WaitAsync(Patience), Assert.True);
    }

    private static async Task<bool> RefusedAsync(IPEndPoint endPoint)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(endPoint).WaitAsync(Patience);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
        // Taken into the backlog of a listener that is closing: reset, not refused yet (seen once under load); look again.
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return false;
        }
    }
}
