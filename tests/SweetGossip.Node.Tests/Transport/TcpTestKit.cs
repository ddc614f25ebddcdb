using Akka.Actor;
using Akka.Event;
using Akka.TestKit;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;
using Xunit.Abstractions;

namespace SweetGossip.Node.Tests.Transport;

/// <summary>A TCP transport on 127.0.0.1 with an ephemeral port, attached to a probe standing in for the node.</summary>
public sealed record TcpTestNode(PrivateKey Key, IActorRef Transport, TestProbe Node, string Address);

/// <summary>Starts TCP transports in the test's actor system and watches what they log.</summary>
public abstract class TcpTestKit : Akka.TestKit.Xunit2.TestKit
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    protected static readonly TcpTransportSettings Fast = NodeDefaults.Transport with
    {
        Listen = "127.0.0.1:0",
        // As long as the tests' own waits: on a loaded machine (PoW tests saturating both cores) a 3 s deadline once
        // failed a handshake a test expected to complete. A test of the deadline itself sets a short one.
        HandshakeTimeout = Timeout,
        ConnectTimeout = Timeout,
        RecordDeadline = Timeout,
        KeepaliveInterval = TimeSpan.FromSeconds(5),
        IdleTimeout = TimeSpan.FromSeconds(30),
        ReconnectMinBackoff = TimeSpan.FromMilliseconds(50),
        ReconnectMaxBackoff = TimeSpan.FromMilliseconds(400),
    };

    protected TcpTestKit(ITestOutputHelper output)
        : base("akka.loglevel = INFO\n" + Support.TestKitConfig.Hocon, output: output)
    {
        Warnings = CreateTestProbe("warnings");
        Sys.EventStream.Subscribe(Warnings.Ref, typeof(Warning));
    }

    /// <summary>Every warning logged in the system, in order.</summary>
    protected TestProbe Warnings { get; }

    /// <param name="scores">The node's score book (default: a fresh one with the default parameters).</param>
    /// <param name="key">The node's identity (default: a fresh one); several nodes given one key are one relay hub's members.</param>
    protected async Task<TcpTestNode> StartAsync(TcpTransportSettings? settings = null, PeerScoreBook? scores = null, PrivateKey? key = null)
    {
        key ??= PrivateKey.Generate();
        var transport = Sys.ActorOf(TcpTransport.Props(settings ?? Fast, key, TimeProvider.System, scores ?? new PeerScoreBook(NodeDefaults.Scoring), NodeDefaults.PeerFramesPerSecond, NodeDefaults.PeerBurst));
        var node = CreateTestProbe();
        transport.Tell(new AttachNode(node.Ref));
        var listening = await transport.Ask<Listening>(GetListenAddress.Instance, Timeout);
        return new TcpTestNode(key, transport, node, listening.Address);
    }

    // PeerConnected messages fished past while waiting for another peer's: two links' connections announce themselves
    // in no fixed order, so a later ConnectionTo must still find the one skipped.
    private readonly Dictionary<(TestProbe Node, PublicKey Peer), IActorRef> _connectedEarlier = [];

    /// <summary>The PeerConnected for <paramref name="peer"/> on <paramref name="node"/>'s probe (one seen earlier, or the next), skipping anything else.</summary>
    protected async Task<IActorRef> ConnectionTo(TcpTestNode node, PublicKey peer)
    {
        if (_connectedEarlier.Remove((node.Node, peer), out var earlier)) return earlier;
        var connected = (PeerConnected)await node.Node.FishForMessageAsync(m =>
        {
            if (m is not PeerConnected c) return false;
            if (c.Peer.Equals(peer)) return true;
            _connectedEarlier[(node.Node, c.Peer)] = c.Connection;
            return false;
        }, Timeout);
        return connected.Connection;
    }

    /// <summary>
    /// The answer to <paramref name="node"/>'s dial (<see cref="Connected"/> or <see cref="ConnectFailed"/>). The link's
    /// PeerConnected may come before it (seen under load): kept for <see cref="ConnectionTo"/>, not fished past.
    /// </summary>
    protected async Task<object> DialAnswer(TcpTestNode node) =>
        await node.Node.FishForMessageAsync(m =>
        {
            if (m is PeerConnected c) _connectedEarlier[(node.Node, c.Peer)] = c.Connection;
            return m is Connected or ConnectFailed;
        }, Timeout);

    /// <summary>The next warning whose text contains every one of <paramref name="parts"/>.</summary>
    protected async Task<string> WarningContaining(params string[] parts)
    {
        var warning = (Warning)await Warnings.FishForMessageAsync(
            m => m is Warning w && parts.All(p => w.Message.ToString()!.Contains(p, StringComparison.Ordinal)), Timeout);
        return warning.Message.ToString()!;
    }

    /// <summary>A fresh transport dials <paramref name="listener"/>, links, and frames cross both ways.</summary>
    protected async Task AssertServesAWellBehavedPeerAsync(TcpTestNode listener)
    {
        var good = await StartAsync();
        good.Transport.Tell(new Connect(listener.Address), good.Node.Ref);
        var goodToListener = await ConnectionTo(good, listener.Key.PublicKey);
        var listenerToGood = await ConnectionTo(listener, good.Key.PublicKey);

        var frame = new ThankYou(PayloadId.New(), Hash32.Random());
        goodToListener.Tell(new SendFrame(frame));
        Assert.Equal(new FrameReceived(good.Key.PublicKey, frame), await listener.Node.FishForMessageAsync(m => m is FrameReceived, Timeout));
        listenerToGood.Tell(new SendFrame(frame));
        Assert.Equal(new FrameReceived(listener.Key.PublicKey, frame), await good.Node.FishForMessageAsync(m => m is FrameReceived, Timeout));
    }
}
