using Akka.Actor;
using SweetGossip.Cluster.Peers;
using SweetGossip.Node.Hub;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cluster.Tests;

/// <summary>A hub member's ask ids: its tag up front, the rest of the fresh id kept, each member its own topic.</summary>
public class MemberAsksTests
{
    [Fact]
    public void An_ask_id_names_the_member_that_sent_it_and_keeps_the_rest_of_its_random_bytes()
    {
        var (a, b) = (new Address("akka.tcp", "hub", "10.0.0.1", 4053), new Address("akka.tcp", "hub", "10.0.0.2", 4053));
        var (tagA, tagB) = (MemberTopic.TagOf(a), MemberTopic.TagOf(b));
        Assert.NotEqual(tagA, tagB);
        Assert.Equal(tagA, MemberTopic.TagOf(new Address("akka.tcp", "hub", "10.0.0.1", 4053))); // stable for an address

        var random = Guid.NewGuid();
        var ask = MemberAsks.Tagged(random, tagA);
        Assert.Equal(tagA, MemberAsks.TagOf(ask));
        Assert.Equal(random.ToByteArray()[4..], ask.Value.ToByteArray()[4..]);
        Assert.NotEqual(MemberTopic.Of(tagA), MemberTopic.Of(tagB));
        // Through the wire's 16 bytes and back, the tag is the same.
        Assert.Equal(tagA, MemberAsks.TagOf(new AskId(new Guid(ask.Value.ToByteArray()))));
    }
}
