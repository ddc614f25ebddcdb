namespace SweetGossip.Cli.Tests;

/// <summary>`sgossip sim --dissemination`: announce dissemination (docs/protocol.md D24) from the command line.</summary>
public sealed class SimDisseminationCommandTests : CliTestBase
{
    private const string SmallCity = """
        {
          "seed": 4, "durationSeconds": 90, "fanout": 3, "difficultyBits": 4, "hops": 10,
          "topology": { "kind": "randomRegular", "degree": 6 },
          "taxi": { "peers": 40, "driverFraction": 0.3, "riderTopicsPerMinute": 4, "driverAreaPrecision": 4 }
        }
        """;

    [Fact]
    public void Sim_with_announce_dissemination_reaches_every_peer_with_one_copy_each()
    {
        File.WriteAllText(PathOf("city.json"), SmallCity);
        Ok("sim", "--config", PathOf("city.json"), "--out", PathOf("out"), "--dissemination", "announce", "--no-progress");
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(PathOf("out"), "summary.json")));
        var summary = document.RootElement;

        Assert.Equal(1.0, summary.GetProperty("meanReach").GetDouble());
        Assert.Equal(1.0, summary.GetProperty("meanCopiesPerReceivingPeer").GetDouble());
        Assert.Contains("\"dissemination\": \"Announce\"", File.ReadAllText(Path.Combine(PathOf("out"), "config.json")));
    }

    [Fact]
    public void An_unknown_dissemination_mode_is_one_line_naming_the_option()
    {
        Assert.Contains("--dissemination", AssertOneLineError(Run("sim", "--dissemination", "flood", "--peers", "10")));
    }
}
