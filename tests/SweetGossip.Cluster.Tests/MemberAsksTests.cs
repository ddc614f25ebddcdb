using Akka.Actor;
using SweetGossip.Cluster.Peers;
using SweetGossip.Node.Hub;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cluster.Tests;

/// <summary>A hub member's ask ids: they name the member to the hub's members only, and keep the rest of the fresh id.</summary>
public class MemberAsksTests
{
    private static readonly Address A = new("akka.tcp", "hub", "10.0.0.1", 4053);
    private static readonly Address B = new("akka.tcp", "hub", "10.0.0.2", 4053);

    [Fact]
    public void Each_member_has_its_own_stable_tag_and_topic()
    {
        Assert.NotEqual(MemberTopic.TagOf(A), MemberTopic.TagOf(B));
        Assert.Equal(MemberTopic.TagOf(A), MemberTopic.TagOf(new Address("akka.tcp", "hub", "10.0.0.1", 4053)));
        Assert.NotEqual(MemberTopic.Of(A), MemberTopic.Of(B));
    }

    [Fact]
    public void Another_member_reads_the_asking_member_from_an_ask_id_and_a_peer_sees_no_fixed_tag()
    {
        var identity = PrivateKey.Generate();
        var (onA, onB) = (new MemberAsks(identity, MemberTopic.TagOf(A)), new MemberAsks(identity, MemberTopic.TagOf(B)));
        var random = Guid.NewGuid();
        var ask = onA.Tagged(random);
        Assert.Equal(onA.Tag, onB.TagOf(ask));
        Assert.Equal(random.ToByteArray()[4..], ask.Value.ToByteArray()[4..]);
        // Through the wire's 16 bytes and back, the member is the same.
        Assert.Equal(onA.Tag, onB.TagOf(new AskId(new Guid(ask.Value.ToByteArray()))));

        // A peer sees 16 bytes that differ in every ask: the tag is masked, so ids do not count or locate members.
        var firstBytes = Enumerable.Range(0, 50).Select(_ => BitConverter.ToUInt32(onA.Tagged(Guid.NewGuid()).Value.ToByteArray(), 0)).ToHashSet();
        Assert.True(firstBytes.Count > 45, $"{firstBytes.Count} distinct leading words in 50 asks");
        // Without the hub's identity the member cannot be read.
        Assert.NotEqual(onA.Tag, new MemberAsks(PrivateKey.Generate(), 0).TagOf(ask));
    }
}
