namespace SweetGossip.Cli.Tests;

public sealed class TopicCommandTests : CliTestBase
{
    private static readonly string[] Sydney = ["topic", "taxi", "--lat", "-33.8647", "--lon", "151.2096"];

    [Fact]
    public void Whitepaper_example_at_precision_7_is_r3gx2g5()
    {
        var result = Ok([.. Sydney, "--precision", "7"]);

        Assert.Contains("r3gx2g5", result.Out);
        Assert.StartsWith("taxi pickup r3gx2g5 ", result.OutLines[0]);
        Assert.StartsWith("window ", result.OutLines[1]);
    }

    [Fact]
    public void Default_precision_is_7()
    {
        Assert.StartsWith("taxi pickup r3gx2g5 ", Ok(Sydney).OutLines[0]);
    }

    [Theory]
    [InlineData(1, "r")]
    [InlineData(5, "r3gx2")]
    [InlineData(8, "r3gx2g5")] // 8 characters: a prefix of r3gx2g5 plus one more
    public void Geohash_has_the_requested_length(int precision, string prefix)
    {
        var json = Ok([.. Sydney, "--precision", precision.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json"]).Json();

        var hash = json.GetProperty("pickup_geohash").GetString()!;
        Assert.Equal(precision, hash.Length);
        Assert.StartsWith(prefix, hash);
    }

    [Fact]
    public void Json_output_has_the_topic_fields()
    {
        var json = Ok([.. Sydney, "--json", "--after", "2099-01-01T10:00:00Z", "--before", "2099-01-01T11:00:00Z",
            "--dropoff-lat", "-33.9", "--dropoff-lon", "151.1"]).Json();

        Assert.Equal("taxi", json.GetProperty("kind").GetString());
        Assert.Equal("r3gx2g5", json.GetProperty("pickup_geohash").GetString());
        Assert.Equal(7, json.GetProperty("dropoff_geohash").GetString()!.Length);
        Assert.Equal(new DateTimeOffset(2099, 1, 1, 10, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse(json.GetProperty("pickup_after").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new DateTimeOffset(2099, 1, 1, 11, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse(json.GetProperty("pickup_before").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(json.GetProperty("cell_width_meters").GetDouble(), 100, 200);
        Assert.InRange(json.GetProperty("cell_height_meters").GetDouble(), 100, 200);
    }

    [Fact]
    public void Without_a_dropoff_the_json_has_no_dropoff_field()
    {
        var json = Ok([.. Sydney, "--json"]).Json();
        Assert.False(json.TryGetProperty("dropoff_geohash", out _));
    }

    [Theory]
    [InlineData("9")]
    [InlineData("0")]
    [InlineData("-1")]
    public void Precision_outside_1_to_8_is_one_line_naming_pickup_geohash(string precision)
    {
        var line = AssertOneLineError(Run([.. Sydney, "--precision", precision]));

        Assert.Equal(1, Run([.. Sydney, "--precision", precision]).ExitCode);
        Assert.Contains("pickup_geohash", line);
    }

    [Fact]
    public void Before_earlier_than_after_is_exit_1()
    {
        var result = Run([.. Sydney, "--after", "now+2h", "--before", "now+1h"]);

        Assert.Equal(1, result.ExitCode);
        var line = AssertOneLineError(result);
        Assert.Contains("pickup_after", line);
    }

    [Fact]
    public void A_window_wholly_in_the_past_is_one_line()
    {
        var line = AssertOneLineError(Run([.. Sydney, "--after", "2001-01-01T00:00:00Z", "--before", "2001-01-01T01:00:00Z"]));
        Assert.Contains("pickup_before", line);
    }

    [Fact]
    public void A_window_longer_than_7_days_is_one_line()
    {
        var line = AssertOneLineError(Run([.. Sydney, "--after", "now", "--before", "now+8d"]));
        Assert.Contains("pickup_before", line);
    }

    [Theory]
    [InlineData("--after", "soon")]
    [InlineData("--before", "2026-13-45")]
    [InlineData("--after", "now+5x")]
    [InlineData("--before", "")]
    public void Bad_time_text_is_exit_1_naming_the_option(string option, string text)
    {
        var result = Run([.. Sydney, option, text]);

        Assert.Equal(1, result.ExitCode);
        var line = AssertOneLineError(result);
        Assert.Contains(option, line);
    }

    [Theory]
    [InlineData("--lat", "95")]
    [InlineData("--lat", "-90.5")]
    [InlineData("--lon", "181")]
    [InlineData("--lat", "NaN")]
    [InlineData("--lon", "NaN")]
    [InlineData("--lat", "Infinity")]
    [InlineData("--lon", "-Infinity")]
    public void Coordinates_out_of_range_are_one_line_naming_the_option(string option, string value)
    {
        var args = new Dictionary<string, string> { ["--lat"] = "-33.8647", ["--lon"] = "151.2096" };
        args[option] = value;

        var line = AssertOneLineError(Run(["topic", "taxi", .. args.SelectMany(a => new[] { a.Key, a.Value })]));

        Assert.Contains(option, line);
    }

    [Theory]
    [InlineData("--dropoff-lat", "-33.9")]
    [InlineData("--dropoff-lon", "151.1")]
    public void Half_a_dropoff_is_one_line(string option, string value)
    {
        var line = AssertOneLineError(Run([.. Sydney, option, value]));
        Assert.Contains("--dropoff-lat", line);
        Assert.Contains("--dropoff-lon", line);
    }

    [Fact]
    public void A_dropoff_out_of_range_is_one_line_naming_the_option()
    {
        var line = AssertOneLineError(Run([.. Sydney, "--dropoff-lat", "-91", "--dropoff-lon", "151.1"]));
        Assert.Contains("--dropoff-lat", line);
    }

    [Fact]
    public void Equals_syntax_allows_a_negative_latitude()
    {
        Assert.Contains("r3gx2g5", Ok("topic", "taxi", "--lat=-33.8647", "--lon=151.2096").Out);
    }
}
