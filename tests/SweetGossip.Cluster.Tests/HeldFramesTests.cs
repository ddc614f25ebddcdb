using Akka.Actor;
using SweetGossip.Cluster.Peers;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cluster.Tests;

/// <summary>Frames held for moving links are bounded per peer and per member, frames retried elsewhere included.</summary>
public class HeldFramesTests
{
    private static HeldFrame Held(PublicKey peer) =>
        new(new PeerDelivery(peer, new ThankYou(PayloadId.New(), Hash32.Random())), ActorRefs.Nobody, DateTimeOffset.UtcNow.AddSeconds(3), "test");

    [Fact]
    public void A_peer_gets_its_bound_and_the_member_its_own_counting_frames_retried_elsewhere()
    {
        var held = new HeldFrames(perPeer: 2, overall: 3);
        var (a, b) = (PrivateKey.Generate().PublicKey, PrivateKey.Generate().PublicKey);
        Assert.True(held.TryHold(Held(a)));
        Assert.True(held.TryHold(Held(a)));
        Assert.False(held.TryHold(Held(a)));             // per peer
        Assert.False(held.TryHold(Held(b), elsewhere: 1)); // 2 held + 1 being retried = the member's 3
        Assert.True(held.TryHold(Held(b)));
        Assert.False(held.TryHold(Held(b)));             // overall

        Assert.Equal(2, held.Take(a).Count);
        Assert.Equal(1, held.Count);
        Assert.Single(held.TakeAll());
        Assert.Equal((0, 0), (held.Count, held.Peers));
    }

    [Fact]
    public void Frames_of_a_peer_being_retried_count_against_its_bound()
    {
        // Before, a peer's frames being retried counted only against the member's bound: a peer could pass its own.
        var held = new HeldFrames(perPeer: 2, overall: 100);
        var (a, b) = (PrivateKey.Generate().PublicKey, PrivateKey.Generate().PublicKey);
        Assert.True(held.TryHold(Held(a), elsewhere: 1, elsewhereForPeer: 0));
        Assert.False(held.TryHold(Held(a), elsewhere: 2, elsewhereForPeer: 1)); // 1 held + 1 being retried
        Assert.False(held.TryHold(Held(b), elsewhere: 2, elsewhereForPeer: 2));
        Assert.True(held.TryHold(Held(b), elsewhere: 2, elsewhereForPeer: 1));
    }
}
