using SweetGossip.Protocol.Topics;

namespace SweetGossip.Protocol.Tests.Topics;

public class TaxiTopicTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static TaxiTopic Valid() =>
        new("r3gx2g5", "r3gx8", Now.AddMinutes(5), Now.AddMinutes(35));

    private static TopicValidationException Invalid(TaxiTopic topic) =>
        Assert.Throws<TopicValidationException>(() => topic.Validate(Now));

    [Fact]
    public void A_valid_topic_passes_and_is_kind_taxi()
    {
        var topic = Valid();
        topic.Validate(Now);
        Assert.Equal("taxi", topic.Kind);
        (topic with { DropoffGeohash = null }).Validate(Now);
        (topic with { PickupGeohash = "r" }).Validate(Now);
    }

    [Fact]
    public void Nine_character_pickup_geohash_is_rejected()
    {
        var ex = Invalid(Valid() with { PickupGeohash = "r3gx2g5zz" });
        Assert.Equal("pickup_geohash", ex.Field);
        Assert.Equal("pickup_geohash: must be at most 8 characters (got 9)", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("r3ga")]
    [InlineData("R3GX")]
    public void Bad_pickup_geohash_is_rejected(string geohash)
    {
        var ex = Invalid(Valid() with { PickupGeohash = geohash });
        Assert.Equal("pickup_geohash", ex.Field);
        Assert.StartsWith("pickup_geohash: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_character_message_names_the_position()
    {
        var ex = Invalid(Valid() with { PickupGeohash = "r3gi" });
        Assert.Contains("'i' at position 3", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("r3gx2g5zz")]
    [InlineData("r3go")]
    public void Bad_dropoff_geohash_is_rejected(string geohash)
    {
        var ex = Invalid(Valid() with { DropoffGeohash = geohash });
        Assert.Equal("dropoff_geohash", ex.Field);
    }

    [Fact]
    public void Window_must_start_before_it_ends()
    {
        var ex = Invalid(Valid() with { PickupAfter = Now.AddMinutes(35), PickupBefore = Now.AddMinutes(5) });
        Assert.Equal("pickup_after", ex.Field);

        var empty = Invalid(Valid() with { PickupAfter = Now.AddMinutes(5), PickupBefore = Now.AddMinutes(5) });
        Assert.Equal("pickup_after", empty.Field);
    }

    [Fact]
    public void Window_entirely_in_the_past_is_rejected()
    {
        var ex = Invalid(Valid() with { PickupAfter = Now.AddHours(-2), PickupBefore = Now.AddHours(-1) });
        Assert.Equal("pickup_before", ex.Field);

        var endsNow = Invalid(Valid() with { PickupAfter = Now.AddHours(-2), PickupBefore = Now });
        Assert.Equal("pickup_before", endsNow.Field);
    }

    [Fact]
    public void Window_already_started_is_allowed()
    {
        (Valid() with { PickupAfter = Now.AddMinutes(-10), PickupBefore = Now.AddMinutes(10) }).Validate(Now);
    }

    [Fact]
    public void Window_longer_than_seven_days_is_rejected()
    {
        (Valid() with { PickupAfter = Now, PickupBefore = Now + TaxiTopic.MaxWindow }).Validate(Now);

        var ex = Invalid(Valid() with { PickupAfter = Now, PickupBefore = Now + TaxiTopic.MaxWindow + TimeSpan.FromSeconds(1) });
        Assert.Equal("pickup_before", ex.Field);
        Assert.Contains("7.00:00:00", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_encodes_truncates_to_seconds_and_validates()
    {
        var after = Now.AddMinutes(5).AddMilliseconds(999).ToOffset(TimeSpan.FromHours(10));
        var before = Now.AddMinutes(35).AddTicks(1);

        var topic = TaxiTopic.Create(-33.8647, 151.2096, 7, after, before, Now, dropoff: (-33.87, 151.21));

        Assert.Equal("r3gx2g5", topic.PickupGeohash);
        Assert.Equal(Geohash.Encode(-33.87, 151.21, 7), topic.DropoffGeohash);
        Assert.Equal(Now.AddMinutes(5), topic.PickupAfter);
        Assert.Equal(TimeSpan.Zero, topic.PickupAfter.Offset);
        Assert.Equal(Now.AddMinutes(35), topic.PickupBefore);
        Assert.Equal(0, topic.PickupBefore.Ticks % TimeSpan.TicksPerSecond);
        Assert.Null(TaxiTopic.Create(-33.8647, 151.2096, 7, after, before, Now).DropoffGeohash);
    }

    [Fact]
    public void Create_rejects_precision_beyond_8_and_bad_windows()
    {
        var ex = Assert.Throws<TopicValidationException>(() =>
            TaxiTopic.Create(-33.8647, 151.2096, 9, Now, Now.AddHours(1), Now));
        Assert.Equal("pickup_geohash", ex.Field);
        Assert.Throws<TopicValidationException>(() => TaxiTopic.Create(-33.8647, 151.2096, 0, Now, Now.AddHours(1), Now));

        // Sub-second window collapses to an empty one after truncation.
        var empty = Assert.Throws<TopicValidationException>(() =>
            TaxiTopic.Create(0, 0, 5, Now.AddHours(1).AddMilliseconds(100), Now.AddHours(1).AddMilliseconds(900), Now));
        Assert.Equal("pickup_after", empty.Field);

        Assert.Throws<ArgumentOutOfRangeException>(() => TaxiTopic.Create(91, 0, 5, Now, Now.AddHours(1), Now));
    }

    [Fact]
    public void PickupWithin_uses_geohash_prefix()
    {
        var topic = Valid();
        Assert.True(topic.PickupWithin("r3g"));
        Assert.True(topic.PickupWithin("r3gx2g5"));
        Assert.False(topic.PickupWithin("r3h"));
        Assert.False(topic.PickupWithin("r3gx2g5b"));
    }

    [Fact]
    public void Topics_are_value_equal_and_polymorphic()
    {
        Topic a = Valid();
        Topic b = Valid();
        Assert.Equal(a, b);
        Assert.NotEqual(a, Valid() with { DropoffGeohash = null });
        Assert.Equal("taxi", a.Kind);
    }

    [Fact]
    public void Exception_exposes_field_and_prefixed_message()
    {
        var ex = new TopicValidationException("pickup_before", "must be in the future");
        Assert.Equal("pickup_before", ex.Field);
        Assert.Equal("pickup_before: must be in the future", ex.Message);
    }
}
