using Akka.Configuration;
using SweetGossip.Cli.Devnet;
using SweetGossip.Cluster.Hosting;
using SweetGossip.Daemon.Hosting;
using SweetGossip.Node.Hosting;

namespace SweetGossip.Cli.Tests;

/// <summary>
/// `sgossip devnet write`, what docker/init-network.sh runs: the configs of a 3-member hub and five nodes for hosts
/// named after the processes. Docker cannot run here, so this reads every config as `node run` does (the node's
/// settings loader, the metrics settings, the cluster settings) with the PostgreSQL journal block the script appends.
/// </summary>
public class DevnetWriteTests : CliTestBase
{
    [Fact]
    public void Write_gives_a_three_member_hub_and_five_nodes_configs_the_node_loads()
    {
        var dir = PathOf("net");
        var written = Ok("devnet", "write", "--nodes", "5", "--hub-members", "3", "--dir", dir, "--lightning-hub", "http://lightning-hub:9737", "--json").Json();
        Assert.Equal(["hub1", "hub2", "hub3", "node1", "node2", "node3", "node4", "node5"],
            written.GetProperty("processes").EnumerateArray().Select(p => p.GetString()));
        // The Lightning hub writes its token there at its first start; the loader reads it.
        Directory.CreateDirectory(Path.Combine(dir, "lightning-hub"));
        File.WriteAllText(Path.Combine(dir, "lightning-hub", "hub.token"), new string('a', 64) + "\n");

        var hubIdentity = Load(dir, "hub1").Host.Node.Identity.PublicKey;
        foreach (var name in new[] { "hub1", "hub2", "hub3" })
        {
            var (host, metrics, cluster) = Load(dir, name, PostgreSql(name));
            Assert.Equal(hubIdentity, host.Node.Identity.PublicKey);
            Assert.NotNull(cluster);
            Assert.Equal(name, cluster.Hostname);
            Assert.Equal(DevnetWrite.ClusterPort, cluster.Port);
            Assert.Equal(["hub1", "hub2", "hub3"], cluster.SeedNodes.Select(a => a.Host));
            Assert.Equal($"0.0.0.0:{DevnetWrite.MetricsPort}", metrics.EndPoint?.ToString());
            Assert.Equal(hubIdentity.ToHex(), host.Lightning.Name);
        }
        foreach (var i in Enumerable.Range(1, 5))
        {
            var (host, _, cluster) = Load(dir, $"node{i}");
            Assert.Null(cluster);
            Assert.NotEqual(hubIdentity, host.Node.Identity.PublicKey);
            // The hub at each member, the first one rotated per node, then the node before.
            var peers = File.ReadAllText(Path.Combine(dir, $"node{i}", "node.conf"));
            var at = new[] { "hub1", "hub2", "hub3" }.Select(m => peers.IndexOf($"{hubIdentity.ToHex()}@{m}:9735", StringComparison.Ordinal)).ToList();
            Assert.All(at, p => Assert.True(p > 0));
            Assert.Equal(at.IndexOf(at.Min()), (i - 1) % 3);
        }
        Assert.Contains("is not empty", AssertOneLineError(Run("devnet", "write", "--dir", dir, "--lightning-hub", "http://lightning-hub:9737")));
    }

    /// <summary>What docker/init-network.sh appends to a member's config: its journal in its own PostgreSQL database.</summary>
    private static string PostgreSql(string database) => $$"""
        akka.persistence.journal.sql { provider-name = "PostgreSQL.15", table-mapping = postgresql, connection-string = "Host=postgres;Username=sweetgossip;Password=devnet;Database={{database}}" }
        akka.persistence.snapshot-store.sql { provider-name = "PostgreSQL.15", table-mapping = postgresql, connection-string = "Host=postgres;Username=sweetgossip;Password=devnet;Database={{database}}" }
        """;

    /// <summary>The settings `node run` reads from a config (as NodeProcess.Load does).</summary>
    private static (NodeHostSettings Host, MetricsSettings Metrics, HubClusterSettings? Cluster) Load(string dir, string name, string appended = "")
    {
        var path = Path.Combine(dir, name, "node.conf");
        var operatorFile = ConfigurationFactory.ParseString(File.ReadAllText(path) + "\n" + appended);
        var merged = operatorFile.WithFallback(NodeConfig.Reference);
        var host = NodeSettingsLoader.Load(merged, Path.GetDirectoryName(path)!);
        if (appended.Length > 0)
            Assert.Equal("PostgreSQL.15", merged.GetString("akka.persistence.journal.sql.provider-name"));
        return (host, MetricsSettings.From(merged, operatorFile), HubClusterSettings.Load(operatorFile, NodeProcess.SystemName));
    }
}
