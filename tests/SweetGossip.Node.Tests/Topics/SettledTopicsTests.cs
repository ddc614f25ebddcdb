using SweetGossip.Node.Topics;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Tests.Topics;

/// <summary>The guardian's records of settled topics: bounded, forgotten at their time, taken once.</summary>
public class SettledTopicsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly PublicKey Source = PrivateKey.Generate().PublicKey;

    private static SettledTopic Record(DateTimeOffset until) => new(PayloadId.New(), until, Source, []);

    [Fact]
    public void A_flood_of_relayed_topics_settling_keeps_at_most_capacity_records_the_oldest_going_first()
    {
        var settled = new SettledTopics(capacity: 3);
        var records = Enumerable.Range(0, 10).Select(_ => Record(Now.AddHours(1))).ToList();
        foreach (var record in records) settled.Add(record, Now);

        Assert.Equal(3, settled.Count);
        Assert.False(settled.TryTake(records[0].PayloadId, Now, out _));
        Assert.True(settled.TryTake(records[9].PayloadId, Now, out var newest));
        Assert.Same(records[9], newest);
    }

    [Fact]
    public void A_record_is_forgotten_at_its_time_and_a_reply_after_it_finds_no_topic()
    {
        var settled = new SettledTopics(capacity: 10);
        var record = Record(Now.AddMinutes(30));
        settled.Add(record, Now);

        Assert.False(settled.TryTake(record.PayloadId, Now.AddMinutes(31), out _));
        Assert.Equal(0, settled.Count);
    }

    [Fact]
    public void A_record_is_taken_once_so_two_replies_do_not_start_two_topics()
    {
        var settled = new SettledTopics(capacity: 10);
        var record = Record(Now.AddMinutes(30));
        settled.Add(record, Now);

        Assert.True(settled.TryTake(record.PayloadId, Now, out _));
        Assert.False(settled.TryTake(record.PayloadId, Now, out _));
    }
}
