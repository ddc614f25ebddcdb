using Akka.Configuration;
using SweetGossip.Cluster.Hosting;

namespace SweetGossip.Cluster.Tests;

public sealed class HubClusterSettingsTests
{
    private const string Minimal = """
        seed-nodes = ["akka.tcp://sgossip@10.0.0.1:4053", "akka.tcp://sgossip@10.0.0.2:4053"]
        hostname = "10.0.0.1"
        """;

    private static HubClusterSettings? Load(string section) =>
        HubClusterSettings.Load(ConfigurationFactory.ParseString($"sweetgossip.cluster {{\n{section}\n}}"), "sgossip");

    [Fact]
    public void A_config_without_a_cluster_section_is_not_a_member()
    {
        var config = ConfigurationFactory.ParseString("sweetgossip.node { fanout = 3 }");
        Assert.Null(HubClusterSettings.Load(config, "sgossip"));
    }

    [Fact]
    public void A_minimal_section_gets_the_reference_defaults()
    {
        var settings = Load(Minimal)!;
        Assert.Equal(2, settings.SeedNodes.Count);
        Assert.Equal("10.0.0.2", settings.SeedNodes[1].Host);
        Assert.Equal(4053, settings.Port);
        Assert.Equal(100, settings.TopicShards);
        Assert.Equal(TimeSpan.FromSeconds(20), settings.SplitBrainStableAfter);
        Assert.Equal(1, settings.MinNrOfMembers);
        Assert.Empty(settings.Roles);
    }

    [Fact]
    public void The_akka_config_is_a_keep_majority_cluster_with_a_graceful_leave_and_the_allow_listed_serializer()
    {
        var akka = Load(Minimal + "\nroles = [relay]\nport = 4100\nsplit-brain-stable-after = 7s")!.ToAkkaConfig();
        Assert.Equal("cluster", akka.GetString("akka.actor.provider"));
        Assert.Equal("10.0.0.1", akka.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(4100, akka.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(["relay", "hub-member"], akka.GetStringList("akka.cluster.roles"));
        Assert.Equal("hub-member", akka.GetString("akka.cluster.sharding.role"));
        Assert.Equal("Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster", akka.GetString("akka.cluster.downing-provider-class"));
        Assert.Equal("keep-majority", akka.GetString("akka.cluster.split-brain-resolver.active-strategy"));
        Assert.Equal(TimeSpan.FromSeconds(7), akka.GetTimeSpan("akka.cluster.split-brain-resolver.stable-after"));
        Assert.True(akka.GetBoolean("akka.coordinated-shutdown.run-by-clr-shutdown-hook"));
        Assert.False(akka.GetBoolean("akka.cluster.sharding.remember-entities"));
        Assert.Equal("ddata", akka.GetString("akka.cluster.sharding.state-store-mode"));
        Assert.Contains("HubMessageSerializer", akka.GetString("akka.actor.serializers.sweetgossip-hub"));
        Assert.Contains("UnboundMessageSerializer", akka.GetString("akka.actor.serializers.json"));
    }

    [Theory]
    [InlineData("hostname = \"10.0.0.1\"", "sweetgossip.cluster.seed-nodes", "at least one seed")]
    [InlineData("seed-nodes = [\"akka.tcp://other@10.0.0.1:4053\"]\nhostname = \"10.0.0.1\"", "sweetgossip.cluster.seed-nodes[0]", "names system 'other'")]
    [InlineData("seed-nodes = [\"http://10.0.0.1:4053\"]\nhostname = \"10.0.0.1\"", "sweetgossip.cluster.seed-nodes[0]", "")]
    [InlineData("seed-nodes = [\"akka.tcp://sgossip@10.0.0.1:4053\", \"akka.tcp://sgossip@10.0.0.1:4053\"]\nhostname = \"10.0.0.1\"", "sweetgossip.cluster.seed-nodes[1]", "listed twice")]
    [InlineData("seed-nodes = [\"akka.tcp://sgossip@10.0.0.1:4053\"]", "sweetgossip.cluster.hostname", "required")]
    [InlineData("seed-nodes = [\"akka.tcp://sgossip@10.0.0.1:4053\"]\nhostname = \"not a host!\"", "sweetgossip.cluster.hostname", "not an IP address")]
    [InlineData("seed-nodes = [\"akka.tcp://sgossip@10.0.0.1:4053\"]\nhostname = \"8.8.8.8\"", "sweetgossip.cluster.hostname", "public address")]
    [InlineData("seed-nodes = [\"akka.tcp://sgossip@10.0.0.1:4053\"]\nhostname = \"0.0.0.0\"", "sweetgossip.cluster.hostname", "public-hostname")]
    [InlineData(Minimal + "\nport = 70000", "sweetgossip.cluster.port", "0..65535")]
    [InlineData(Minimal + "\nroles = [\"no spaces\"]", "sweetgossip.cluster.roles", "letters, digits")]
    [InlineData(Minimal + "\nmin-nr-of-members = 0", "sweetgossip.cluster.min-nr-of-members", "1..1000")]
    [InlineData(Minimal + "\nsplit-brain-stable-after = soon", "sweetgossip.cluster.split-brain-stable-after", "not a duration")]
    [InlineData(Minimal + "\ntopics.number-of-shards = 0", "sweetgossip.cluster.topics.number-of-shards", "1..10000")]
    [InlineData(Minimal + "\ntopics { min-claim-retention = 2h, max-claim-retention = 1h }", "sweetgossip.cluster.topics.max-claim-retention", "not be shorter")]
    [InlineData(Minimal + "\nallow-public-address = maybe", "sweetgossip.cluster.allow-public-address", "on/off")]
    [InlineData(Minimal + "\npeer-links.hold-for = 2m", "sweetgossip.cluster.peer-links.hold-for", "must be from")]
    [InlineData(Minimal + "\npeer-links.hold-frames-per-peer = 0", "sweetgossip.cluster.peer-links.hold-frames-per-peer", "1..1024")]
    [InlineData(Minimal + "\npeer-links.hold-frames = 0", "sweetgossip.cluster.peer-links.hold-frames", "1..1000000")]
    public void Each_bad_value_is_refused_naming_its_key(string section, string key, string reason)
    {
        var error = Assert.Throws<HubClusterConfigException>(() => Load(section));
        Assert.Equal(key, error.Key);
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void A_public_address_is_accepted_only_when_the_operator_says_so()
    {
        var settings = Load("seed-nodes = [\"akka.tcp://sgossip@203.0.113.5:4053\"]\nhostname = \"203.0.113.5\"\nallow-public-address = on")!;
        Assert.Equal("203.0.113.5", settings.Hostname);
    }

    [Fact]
    public void A_wildcard_bind_is_advertised_by_its_public_hostname()
    {
        var akka = Load(Minimal.Replace("hostname = \"10.0.0.1\"", "hostname = \"0.0.0.0\"\npublic-hostname = \"10.0.0.1\""))!.ToAkkaConfig();
        Assert.Equal("0.0.0.0", akka.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal("10.0.0.1", akka.GetString("akka.remote.dot-netty.tcp.public-hostname"));
    }
}
