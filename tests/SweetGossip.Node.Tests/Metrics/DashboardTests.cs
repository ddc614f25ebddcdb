using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using SweetGossip.Node.Observation;
using SweetGossip.Node.Tests.Support;

namespace SweetGossip.Node.Tests.Metrics;

/// <summary>The Grafana dashboard and the Prometheus config in docker/ name what the endpoint really exports.</summary>
[Collection(MeterCollection.Name)]
public partial class DashboardTests
{
    [Fact]
    public async Task Every_metric_the_dashboard_queries_is_exported_by_the_node()
    {
        using var endpoint = MetricsEndpoint.Start(new IPEndPoint(IPAddress.Loopback, 0), "test-node");
        // One of each event (the counters' deltas are what other tests in this collection compare).
        NodeMetrics.LinkOpened();
        NodeMetrics.LinkClosed();
        NodeMetrics.HandshakeRefused(HandshakeRefusal.Timeout);
        NodeMetrics.TopicRelayed();
        NodeMetrics.TopicOriginated();
        NodeMetrics.TopicDeduplicated(ask: true);
        NodeMetrics.FavourGranted(lightning: false);
        NodeMetrics.FavourRedeemed();
        NodeMetrics.PowSolved(100);
        NodeMetrics.PaymentFinal(incoming: true, 1000);
        NodeMetrics.JournalWritten(TimeSpan.FromMilliseconds(1));
        NodeMetrics.ReportCluster(membersUp: 1, shardsHosted: 1);
        var scrape = await Scrape.GetAsync(endpoint.Url);

        using var dashboard = JsonDocument.Parse(File.ReadAllText(RepositoryFile("docker/grafana/dashboards/sweetgossip-nodes.json")));
        var queried = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .SelectMany(t => MetricName().Matches(t.GetProperty("expr").GetString()!).Select(m => m.Value))
            .ToHashSet();
        Assert.Equal(10, dashboard.RootElement.GetProperty("panels").GetArrayLength());
        Assert.Contains("sweetgossip_settlement_journal_duration_milliseconds_bucket", queried);
        foreach (var metric in queried)
            Assert.True(scrape.Has(metric), $"the dashboard queries {metric}, which the endpoint does not export:\n{scrape}");
    }

    [Fact]
    public void Prometheus_scrapes_every_compose_node_on_the_port_their_configs_open()
    {
        var prometheus = File.ReadAllText(RepositoryFile("docker/prometheus/prometheus.yml"));
        var init = File.ReadAllText(RepositoryFile("docker/init-network.sh"));
        // The configs are `sgossip devnet write`'s, whose metrics listener (0.0.0.0:9464) DevnetWriteTests loads and checks.
        Assert.Contains("sgossip devnet write --nodes 5 --hub-members 3 ", init);
        Assert.Contains("targets: [\"hub1:9464\", \"hub2:9464\", \"hub3:9464\", \"node1:9464\", \"node2:9464\", \"node3:9464\", \"node4:9464\", \"node5:9464\"]", prometheus);
    }

    [GeneratedRegex("sweetgossip_[a-z_]+")]
    private static partial Regex MetricName();

    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}
