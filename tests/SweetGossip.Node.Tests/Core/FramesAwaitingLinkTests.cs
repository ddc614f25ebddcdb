using SweetGossip.Node.Core;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Tests.Core;

/// <summary>Frames held for a peer's next link: in order, bounded per peer and overall, dropped past their deadline.</summary>
public class FramesAwaitingLinkTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch.AddDays(1);

    private static Frame NewFrame() => new AlreadyHave(PayloadId.New());

    [Fact]
    public void A_peers_frames_come_back_in_order_once()
    {
        var held = new FramesAwaitingLink(perPeer: 4, overall: 8);
        var peer = PrivateKey.Generate().PublicKey;
        var (first, second) = (NewFrame(), NewFrame());
        Assert.True(held.TryHold(peer, first, Now.AddSeconds(3)));
        Assert.True(held.TryHold(peer, second, Now.AddSeconds(3)));
        Assert.Equal([first, second], held.Take(peer));
        Assert.Empty(held.Take(peer));
        Assert.Equal(0, held.Count);
        Assert.Null(held.Earliest);
    }

    [Fact]
    public void Frames_past_the_per_peer_or_the_overall_bound_are_not_held()
    {
        var held = new FramesAwaitingLink(perPeer: 2, overall: 3);
        var (peer, other, third) = (PrivateKey.Generate().PublicKey, PrivateKey.Generate().PublicKey, PrivateKey.Generate().PublicKey);
        Assert.True(held.TryHold(peer, NewFrame(), Now));
        Assert.True(held.TryHold(peer, NewFrame(), Now));
        Assert.False(held.TryHold(peer, NewFrame(), Now));
        Assert.True(held.TryHold(other, NewFrame(), Now));
        Assert.False(held.TryHold(third, NewFrame(), Now));
        Assert.Equal(3, held.Count);
    }

    [Fact]
    public void Frames_past_their_deadline_are_dropped_and_the_next_deadline_is_kept()
    {
        var held = new FramesAwaitingLink(perPeer: 4, overall: 8);
        var (peer, other) = (PrivateKey.Generate().PublicKey, PrivateKey.Generate().PublicKey);
        var later = NewFrame();
        held.TryHold(peer, NewFrame(), Now.AddSeconds(1));
        held.TryHold(other, NewFrame(), Now.AddSeconds(1));
        held.TryHold(other, later, Now.AddSeconds(5));
        Assert.Equal(Now.AddSeconds(1), held.Earliest);

        Assert.Equal(2, held.DropExpired(Now.AddSeconds(1)));
        Assert.Equal(1, held.Count);
        Assert.Equal(Now.AddSeconds(5), held.Earliest);
        Assert.Empty(held.Take(peer));
        Assert.Equal([later], held.Take(other));
    }
}
