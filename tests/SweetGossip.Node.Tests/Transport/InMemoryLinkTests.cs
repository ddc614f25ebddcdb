using Akka.Actor;
using Akka.TestKit.Xunit2;
using SweetGossip.Node.Core;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Tests.Core;
using SweetGossip.Node.Tests.Support;
using SweetGossip.Node.Transport;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Tests.Transport;

/// <summary>
/// An in-memory link end is an actor reference that acts as it is told, not an actor (a simulated peer had one actor per
/// link end: 8 of its 22). It must still carry frames whole and in order, and close both ends as the actor did.
/// </summary>
public class InMemoryLinkTests() : TestKit(Support.TestKitConfig.Hocon)
{
    private (InMemoryLink A, InMemoryLink B) Ends(string from = "a", string to = "b")
    {
        var provider = ((ExtendedActorSystem)Sys).Provider;
        var a = new InMemoryLink(new InMemoryLink.Side(TestActor.Path, provider, Sys.Scheduler, null, TimeProvider.System, from, null, Sys), 1, to);
        var b = new InMemoryLink(new InMemoryLink.Side(TestActor.Path, provider, Sys.Scheduler, null, TimeProvider.System, to, null, Sys), 2, from);
        return (a, b);
    }

    [Fact]
    public void Frames_cross_whole_and_in_order_and_a_closed_end_carries_nothing_more()
    {
        var (a, b) = Ends();
        var (atA, atB) = (CreateTestProbe(), CreateTestProbe());
        a.Pair(b, atA.Ref);
        b.Pair(a, atB.Ref);

        a.Tell(new LinkFrameOut([1, 2, 3]));
        a.Tell(new LinkFrameOut([4]));
        Assert.Equal([1, 2, 3], atB.ExpectMsg<LinkFrameIn>().Bytes);
        Assert.Equal([4], atB.ExpectMsg<LinkFrameIn>().Bytes);

        a.Tell(new CloseLink("done"));
        Assert.Equal("closed by the other end: done", atB.ExpectMsg<LinkClosed>().Reason);
        Assert.True(a.IsClosed && b.IsClosed);
        a.Tell(new LinkFrameOut([5]));
        b.Tell(new LinkFrameOut([6]));
        atA.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        atB.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Frames_that_arrive_before_their_end_is_paired_reach_its_connection_first_once_it_is()
    {
        var (a, b) = Ends();
        var atB = CreateTestProbe();
        a.Pair(b, CreateTestProbe().Ref);
        a.Tell(new LinkFrameOut([1]));
        a.Tell(new LinkFrameOut([2]));

        b.Pair(a, atB.Ref);
        b.Tell(new LinkFrameOut([9])); // the other way: not to atB
        Assert.Equal([1], atB.ExpectMsg<LinkFrameIn>().Bytes);
        Assert.Equal([2], atB.ExpectMsg<LinkFrameIn>().Bytes);
    }

    [Fact]
    public void Severing_a_link_tells_both_connections()
    {
        var (a, b) = Ends();
        var (atA, atB) = (CreateTestProbe(), CreateTestProbe());
        a.Pair(b, atA.Ref);
        b.Pair(a, atB.Ref);

        a.Sever("link dropped");
        Assert.Equal("link dropped", atA.ExpectMsg<LinkClosed>().Reason);
        Assert.Equal("closed by the other end: link dropped", atB.ExpectMsg<LinkClosed>().Reason);
    }

    [Fact]
    public async Task A_node_on_an_in_memory_network_spends_one_actor_per_link_not_two()
    {
        await using var net = new InProcessNetwork();
        var a = net.Start("a", 0);
        net.Start("b", 0, peers: ["a"]);
        await Eventually.Value(() => a.Node.Ask<NodeStatus>(GetNodeStatus.Instance, InProcessNetwork.Timeout), s => s.Peers >= 1);

        // The transport's children: the link's PeerConnection only (before: an InMemoryLink actor beside it).
        var children = Assert.IsType<ActorCell>(((ActorRefWithCell)a.Transport).Underlying).ChildrenContainer.Children.ToList();
        Assert.Single(children);
    }

    [Fact]
    public void A_link_end_closed_before_it_is_paired_tells_its_connection()
    {
        // Refused: B's end is paired and its connection closes it before A's connection exists.
        var (a, b) = Ends();
        var (atA, atB) = (CreateTestProbe(), CreateTestProbe());
        b.Pair(a, atB.Ref);
        b.Tell(new CloseLink("refused: banned"));
        a.Pair(b, atA.Ref);
        Assert.Equal("closed by the other end: refused: banned", atA.ExpectMsg<LinkClosed>().Reason);

        // Severed (A went offline) before it was paired: B's connection, already up, learns it as A's end is paired.
        var (c, d) = Ends();
        var (atC, atD) = (CreateTestProbe(), CreateTestProbe());
        d.Pair(c, atD.Ref);
        c.Sever("peer went offline");
        c.Pair(d, atC.Ref);
        Assert.Equal("peer went offline", atC.ExpectMsg<LinkClosed>().Reason);
        Assert.Equal("closed by the other end: peer went offline", atD.ExpectMsg<LinkClosed>().Reason);
    }

    /// <summary>Holds every message between nodes until the test lets it go, so a test picks the order of a race.</summary>
    private sealed class HeldCourier : IInMemoryCourier
    {
        private readonly List<(object Message, Action Deliver)> _held = [];

        public InMemoryNetwork? Network { get; set; }

        public void Send(string from, string to, DateTimeOffset arrival, IActorRef target, object message, IActorRef sender) =>
            Hold(message, () => target.Tell(message, sender));

        public void SendSetup(string from, string to, IActorRef? target, object message, IActorRef sender, object? undeliverable) =>
            Hold(message, () =>
            {
                if ((target ?? Network!.Lookup(to)) is { } t) t.Tell(message, sender);
                else if (undeliverable is not null) sender.Tell(undeliverable);
            });

        private void Hold(object message, Action deliver)
        {
            lock (_held) _held.Add((message, deliver));
        }

        public bool Holds(string messageType)
        {
            lock (_held) return _held.Exists(h => h.Message.GetType().Name == messageType);
        }

        public void Release(string messageType)
        {
            Action deliver;
            lock (_held)
            {
                var i = _held.FindIndex(h => h.Message.GetType().Name == messageType);
                deliver = _held[i].Deliver;
                _held.RemoveAt(i);
            }
            deliver();
        }
    }

    private IActorRef Transport(InMemoryNetwork network, string address, PublicKey identity, PeerScoreBook scores, IActorRef node)
    {
        var transport = Sys.ActorOf(InMemoryTransport.Props(network, address, identity, TimeProvider.System, scores, 1_000, 1_000));
        network.Register(address, transport);
        if (!node.IsNobody()) transport.Tell(new AttachNode(node));
        return transport;
    }

    [Fact]
    public void Dialling_a_node_that_bans_us_leaves_no_connected_peer()
    {
        var courier = new HeldCourier();
        var network = new InMemoryNetwork { Courier = courier };
        courier.Network = network;
        var (keyA, keyB) = (PrivateKey.Generate().PublicKey, PrivateKey.Generate().PublicKey);
        var booksOfB = new PeerScoreBook(PeerScoreParameters.Default);
        booksOfB.Record(keyA, PeerBehaviour.MalformedFrame, DateTimeOffset.UtcNow);
        booksOfB.Record(keyA, PeerBehaviour.MalformedFrame, DateTimeOffset.UtcNow);
        Assert.True(booksOfB.IsBanned(keyA, DateTimeOffset.UtcNow));
        var (nodeA, nodeB) = (CreateTestProbe(), CreateTestProbe());
        var a = Transport(network, "a", keyA, new PeerScoreBook(PeerScoreParameters.Default), nodeA.Ref);
        Transport(network, "b", keyB, booksOfB, nodeB.Ref);

        a.Tell(new Connect("b"), nodeA.Ref);
        AwaitCondition(() => courier.Holds("AcceptLink"), InProcessNetwork.Timeout, TimeSpan.FromMilliseconds(10));
        courier.Release("AcceptLink");
        // B's connection refuses A and closes B's end; that close reaches A's end before B's offer reaches A's transport.
        AwaitCondition(() => courier.Holds("LinkOffered") && courier.Holds("OtherEndClosed"), InProcessNetwork.Timeout, TimeSpan.FromMilliseconds(10));
        courier.Release("OtherEndClosed");
        courier.Release("LinkOffered");

        // Before: A's connection was made on a link already closed, never told so, and A's node heard Connected.
        var answer = nodeA.FishForMessage(m => m is Connected or ConnectFailed, InProcessNetwork.Timeout);
        Assert.Contains("refused", Assert.IsType<ConnectFailed>(answer).Reason);
        Assert.Empty(Assert.IsType<ActorCell>(((ActorRefWithCell)a).Underlying).ChildrenContainer.Children);
    }

    [Fact]
    public void Going_offline_while_a_dial_is_in_flight_leaves_no_connected_peer_on_either_side()
    {
        var network = new InMemoryNetwork();
        var (keyA, keyB) = (PrivateKey.Generate().PublicKey, PrivateKey.Generate().PublicKey);
        var (nodeA, nodeB) = (CreateTestProbe(), CreateTestProbe());
        var a = Transport(network, "a", keyA, new PeerScoreBook(PeerScoreParameters.Default), nodeA.Ref);
        // B answers only once attached: A goes offline while its dial waits there.
        var b = Transport(network, "b", keyB, new PeerScoreBook(PeerScoreParameters.Default), ActorRefs.Nobody);

        a.Tell(new Connect("b"), nodeA.Ref);
        a.Tell(GoOffline.Instance);
        a.Tell(new Connect("c"), nodeA.Ref); // answered after GoOffline was handled
        Assert.Equal("c", nodeA.ExpectMsg<ConnectFailed>(InProcessNetwork.Timeout).Address);
        b.Tell(new AttachNode(nodeB.Ref));

        Assert.Equal("b", nodeA.ExpectMsg<ConnectFailed>(InProcessNetwork.Timeout).Address);
        // B accepted and its connection came up; it must learn the link is gone (before: it stayed, sending into nothing).
        Assert.Equal(keyA, nodeB.ExpectMsg<PeerConnected>(InProcessNetwork.Timeout).Peer);
        Assert.Equal(keyA, nodeB.ExpectMsg<PeerDisconnected>(InProcessNetwork.Timeout).Peer);
    }

    private sealed class OneMillisecond : ILinkLatency
    {
        public TimeSpan Next(string from, string to) => TimeSpan.FromMilliseconds(1);
    }

    private static IReadOnlyCollection<IActorRef> Children(IActorRef transport) =>
        Assert.IsType<ActorCell>(((ActorRefWithCell)transport).Underlying).ChildrenContainer.Children.ToList();

    [Fact]
    public void In_the_simulator_a_link_end_is_its_connection_and_a_node_spends_no_actor_per_link()
    {
        var network = new InMemoryNetwork { Latency = new OneMillisecond(), ConnectionsInLinkEnds = true };
        var (keyA, keyB) = (PrivateKey.Generate().PublicKey, PrivateKey.Generate().PublicKey);
        var (nodeA, nodeB) = (CreateTestProbe(), CreateTestProbe());
        var a = Transport(network, "a", keyA, new PeerScoreBook(PeerScoreParameters.Default), nodeA.Ref);
        var b = Transport(network, "b", keyB, new PeerScoreBook(PeerScoreParameters.Default), nodeB.Ref);

        a.Tell(new Connect("b"), nodeA.Ref);
        var atA = nodeA.FishForMessage<PeerConnected>(_ => true, InProcessNetwork.Timeout);
        var atB = nodeB.FishForMessage<PeerConnected>(_ => true, InProcessNetwork.Timeout);
        Assert.IsType<InMemoryLink>(atA.Connection);
        Assert.Equal((keyB, true, keyA, false), (atA.Peer, atA.Dialled, atB.Peer, atB.Dialled));
        Assert.Empty(Children(a));
        Assert.Empty(Children(b));

        // Encoded, carried, screened and handed to the node, from the link end the node knows.
        var payload = PayloadId.New();
        atA.Connection.Tell(new SendFrame(new AlreadyHave(payload)));
        var received = nodeB.FishForMessage<FrameReceived>(_ => true, InProcessNetwork.Timeout);
        Assert.Equal((keyA, new AlreadyHave(payload)), (received.Peer, received.Frame));
        Assert.Equal(atB.Connection, nodeB.LastSender);

        atA.Connection.Tell(new DropPeer("done"));
        Assert.Equal("done", nodeA.FishForMessage<PeerDisconnected>(_ => true, InProcessNetwork.Timeout).Reason);
        Assert.Equal(atA.Connection, nodeA.LastSender);
        Assert.Equal("closed by the other end: done", nodeB.FishForMessage<PeerDisconnected>(_ => true, InProcessNetwork.Timeout).Reason);
        atB.Connection.Tell(new SendFrame(new AlreadyHave(payload))); // a closed link end sends nothing more
        nodeA.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void In_the_simulator_a_banned_peer_is_refused_by_the_link_end_and_never_reaches_the_node()
    {
        var network = new InMemoryNetwork { Latency = new OneMillisecond(), ConnectionsInLinkEnds = true };
        var (keyA, keyB) = (PrivateKey.Generate().PublicKey, PrivateKey.Generate().PublicKey);
        var booksOfB = new PeerScoreBook(PeerScoreParameters.Default);
        booksOfB.Record(keyA, PeerBehaviour.MalformedFrame, DateTimeOffset.UtcNow);
        booksOfB.Record(keyA, PeerBehaviour.MalformedFrame, DateTimeOffset.UtcNow);
        var (nodeA, nodeB) = (CreateTestProbe(), CreateTestProbe());
        var a = Transport(network, "a", keyA, new PeerScoreBook(PeerScoreParameters.Default), nodeA.Ref);
        Transport(network, "b", keyB, booksOfB, nodeB.Ref);

        a.Tell(new Connect("b"), nodeA.Ref);
        // The link's PeerDisconnected may come before Connected (another actor sends it): kept, not fished past.
        PeerDisconnected? disconnected = null;
        var answer = nodeA.FishForMessage(m =>
        {
            if (m is PeerDisconnected d) disconnected = d;
            return m is Connected or ConnectFailed;
        }, InProcessNetwork.Timeout);
        if (answer is Connected)
            Assert.Contains("refused", (disconnected ?? nodeA.FishForMessage<PeerDisconnected>(_ => true, InProcessNetwork.Timeout)).Reason);
        else Assert.Contains("refused", ((ConnectFailed)answer).Reason);
        nodeB.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
