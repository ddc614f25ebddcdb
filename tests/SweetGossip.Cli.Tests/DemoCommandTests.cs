namespace SweetGossip.Cli.Tests;

public sealed class DemoCommandTests : CliTestBase
{
    [Fact]
    public void Demo_walks_the_whole_job_and_ends_with_the_replier_acknowledging()
    {
        var result = Ok("demo", "--difficulty", "8");

        Assert.Contains("replier acknowledged", result.LastOutLine);
        Assert.Contains(result.OutLines, l => l.Contains("taxi topic pickup r3gx2g5", StringComparison.Ordinal));
        Assert.Contains(result.OutLines, l => l.StartsWith("middleman 1: broadcast accepted", StringComparison.Ordinal));
        Assert.Contains(result.OutLines, l => l.StartsWith("middleman 2: broadcast accepted", StringComparison.Ordinal));
        Assert.Contains(result.OutLines, l => l.Contains("reply opened", StringComparison.Ordinal));
    }

    [Fact]
    public void Demo_json_has_the_summary()
    {
        var json = Ok("demo", "--difficulty", "4", "--json").Json();

        Assert.True(json.GetProperty("acknowledged").GetBoolean());
        Assert.Equal(2, json.GetProperty("hops").GetInt32());
        Assert.True(json.GetProperty("pow_hashes").GetInt64() >= 2);
        Assert.Contains("Toyota Prius", json.GetProperty("reply_message").GetString());
        Assert.Contains("replier acknowledged", json.GetProperty("steps").EnumerateArray().Last().GetString());
    }

    [Theory]
    [InlineData("33")]
    [InlineData("-1")]
    public void Demo_difficulty_out_of_range_is_one_line(string difficulty)
    {
        Assert.Contains("--difficulty", AssertOneLineError(Run("demo", "--difficulty", difficulty)));
    }
}
