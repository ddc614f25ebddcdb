using SweetGossip.Node.Core;
using SweetGossip.Protocol.Primitives;
using Xunit;

namespace SweetGossip.Node.Tests.Core;

public sealed class SettlingFavoursTests
{
    [Fact]
    public void Settled_favours_leave_no_hashes_behind_in_the_age_queue()
    {
        const int capacity = 16;
        var settling = new SettlingFavours(capacity);
        var held = Hash32.Random();
        settling.Add(held, 7); // one never settled: the queue may keep it, and what follows it
        for (var i = 0; i < 10 * capacity; i++)
        {
            var hash = Hash32.Random();
            settling.Add(hash, 1);
            Assert.True(settling.TryTake(hash, out var price));
            Assert.Equal(1UL, price);
            Assert.True(settling.OrderCount <= 2 * capacity, $"age queue holds {settling.OrderCount} hashes");
        }
        Assert.True(settling.TryTake(held, out var heldPrice));
        Assert.Equal(7UL, heldPrice);
    }

    [Fact]
    public void Past_capacity_the_oldest_unsettled_favour_is_forgotten()
    {
        var settling = new SettlingFavours(2);
        var (a, b, c) = (Hash32.Random(), Hash32.Random(), Hash32.Random());
        settling.Add(a, 1);
        settling.Add(b, 2);
        settling.Add(c, 3);
        Assert.False(settling.TryTake(a, out _));
        Assert.True(settling.TryTake(b, out _));
        Assert.True(settling.TryTake(c, out _));
    }
}
