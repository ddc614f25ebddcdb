using SweetGossip.Node.Transport.Tcp;

namespace SweetGossip.Node.Tests.Transport;

public class OutboxAndBackoffTests
{
    [Fact]
    public void The_outbox_refuses_past_its_limit_and_batches_oldest_first_within_a_size()
    {
        var outbox = new Outbox(3, 1000);
        Assert.True(outbox.TryAdd([1, 1]));
        Assert.True(outbox.TryAdd([2, 2, 2]));
        Assert.True(outbox.TryAdd([3]));
        Assert.False(outbox.TryAdd([4]));

        Assert.Equal([1, 1, 2, 2, 2], outbox.TakeBatch(5));
        Assert.Equal([3], outbox.TakeBatch(5));
        Assert.Equal(0, outbox.Count);
    }

    [Fact]
    public void A_record_larger_than_the_batch_size_still_leaves_alone()
    {
        var outbox = new Outbox(2, 1000);
        outbox.TryAdd(new byte[10]);
        outbox.TryAdd([7]);
        Assert.Equal(10, outbox.TakeBatch(4).Length);
        Assert.Equal([7], outbox.TakeBatch(4));
    }

    [Fact]
    public void The_outbox_refuses_a_record_that_would_take_it_past_its_byte_bound_and_takes_more_once_drained()
    {
        var outbox = new Outbox(100, 10);
        Assert.True(outbox.TryAdd(new byte[6]));
        Assert.False(outbox.TryAdd(new byte[5])); // 11 bytes: over the bound though 2 records are far below the count
        Assert.True(outbox.TryAdd(new byte[4]));
        Assert.Equal(10, outbox.Bytes);
        Assert.False(outbox.TryAdd([1]));

        Assert.Equal(6, outbox.TakeBatch(7).Length);
        Assert.Equal(4, outbox.Bytes);
        Assert.True(outbox.TryAdd(new byte[6]));
    }

    [Fact]
    public void Backoff_doubles_up_to_its_maximum_with_bounded_jitter_and_resets()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        var expected = new[] { 1, 2, 4, 5, 5 };
        foreach (var seconds in expected)
        {
            var delay = backoff.Next().TotalSeconds;
            Assert.InRange(delay, seconds * 0.8, seconds * 1.2);
        }
        backoff.Reset();
        Assert.InRange(backoff.Next().TotalSeconds, 0.8, 1.2);
    }
}
