using SweetGossip.Daemon.Hosting;
using SweetGossip.LightningHub;

namespace SweetGossip.Cli.Tests;

/// <summary>The hub's settings: the annotated hocon/hub.conf states the defaults; a bad value is refused naming its key.</summary>
public sealed class HubConfigTests : CliTestBase
{
    [Fact]
    public void The_annotated_hub_conf_states_the_defaults_and_leaves_the_journal_in_sqlite()
    {
        var config = HubConfig.Build(File.ReadAllText(RepositoryFile("hocon/hub.conf")), Dir);

        Assert.Equal(HubConfig.Settings(HubConfig.Build(null, Dir)), HubConfig.Settings(config));
        Assert.Contains(Path.Combine(Dir, HubConfig.JournalFile), config.GetString("akka.persistence.journal.sql.connection-string"));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Dir, HubConfig.JournalFile)));
    }

    [Theory]
    [InlineData("sweetgossip.hub.update-log-window = 0", "sweetgossip.hub.update-log-window: '0' is not a whole number in 1..10000000")]
    [InlineData("sweetgossip.hub.snapshot-every = often", "sweetgossip.hub.snapshot-every: 'often' is not a whole number in 1..10000000")]
    [InlineData("sweetgossip.hub.snapshot-every = ${nowhere}", "--config: not valid HOCON")]
    public void A_bad_setting_is_refused_naming_its_key(string hocon, string expected)
    {
        var e = Assert.Throws<StartupException>(() => HubConfig.Settings(HubConfig.Build(hocon, Dir)));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void The_hub_needs_its_data_directory()
    {
        Assert.StartsWith("error: Option '--data' is required", AssertOneLineError(Run("ln", "hub", "--listen", "127.0.0.1:0")));
    }

    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}
