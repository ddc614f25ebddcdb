using FsCheck.Xunit;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Tests.Primitives;

/// <summary>
/// Tables grown gently must enumerate exactly as doubled ones do (a node's peers are walked in that order, and seeded
/// simulations depend on it), after any adds and removals; and a table of 8 keeps less room than a doubled one.
/// </summary>
public sealed class TableGrowthTests
{
    /// <summary>Each step adds its key (positive) or removes it (negative) in both tables.</summary>
    [Property(MaxTest = 300)]
    public bool Gentle_growth_keeps_the_order_of_a_doubled_table(sbyte[] steps)
    {
        var doubled = new Dictionary<int, int>();
        var gentle = new Dictionary<int, int>();
        var step = 0;
        foreach (var s in steps)
        {
            var key = Math.Abs((int)s) % 40;
            if (s < 0)
            {
                doubled.Remove(key);
                gentle.Remove(key);
            }
            else if (!doubled.ContainsKey(key))
            {
                doubled[key] = step;
                gentle.RoomForOneMore();
                gentle[key] = step;
            }
            step++;
        }
        return doubled.SequenceEqual(gentle);
    }

    [Fact]
    public void Eight_peers_keep_fewer_slots_than_doubling_leaves()
    {
        var doubled = new Dictionary<int, int>();
        var gentle = new Dictionary<int, int>();
        for (var i = 0; i < 8; i++)
        {
            doubled[i] = i;
            gentle.RoomForOneMore();
            gentle[i] = i;
        }
        Assert.Equal(17, doubled.Capacity);
        Assert.Equal(11, gentle.Capacity);
    }
}
