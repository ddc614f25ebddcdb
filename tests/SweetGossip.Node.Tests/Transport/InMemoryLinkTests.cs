using Akka.Actor;
using Akka.TestKit.Xunit2;
using SweetGossip.Node.Core;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Tests.Core;
using SweetGossip.Node.Tests.Support;
using SweetGossip.Node.Transport;

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
        var a = new InMemoryLink(new InMemoryLink.Side(TestActor.Path, provider, Sys.Scheduler, null, TimeProvider.System, from, null), 1, to);
        var b = new InMemoryLink(new InMemoryLink.Side(TestActor.Path, provider, Sys.Scheduler, null, TimeProvider.System, to, null), 2, from);
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
}
