using System.Net;
using System.Net.Sockets;
using SweetGossip.Node.Observation;
using SweetGossip.Node.Tests.Support;

namespace SweetGossip.Node.Tests.Metrics;

/// <summary>The scrape endpoint over real loopback HTTP.</summary>
public class MetricsEndpointTests
{
    [Fact]
    public async Task A_scrape_shows_the_node_meter_in_prometheus_text()
    {
        using var endpoint = MetricsEndpoint.Start(new IPEndPoint(IPAddress.Loopback, 0), "test-node");
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/metrics$", endpoint.Url);
        NodeMetrics.JournalWritten(TimeSpan.FromMilliseconds(3));
        var scrape = await Scrape.GetAsync(endpoint.Url);
        Assert.True(scrape.Sum("sweetgossip_settlement_journal_duration_milliseconds_count") >= 1, scrape.Text);
        Assert.Contains("# TYPE sweetgossip_settlement_journal_duration_milliseconds histogram", scrape.Text);
        Assert.Contains("service_name=\"test-node\"", scrape.Text);
    }

    [Fact]
    public async Task A_wildcard_endpoint_answers_whatever_address_the_scraper_names()
    {
        using var endpoint = MetricsEndpoint.Start(new IPEndPoint(IPAddress.Any, 0), "test-node");
        var port = new Uri(endpoint.Url).Port;
        // The Host header is 127.0.0.1 here, not the 0.0.0.0 it was bound as: a prefix naming 0.0.0.0 would answer 400.
        var scrape = await Scrape.GetAsync($"http://127.0.0.1:{port}/metrics");
        Assert.True(scrape.Has("target_info"), scrape.Text);
    }

    [Fact]
    public void A_port_already_taken_is_an_io_error()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        Assert.Throws<IOException>(() => MetricsEndpoint.Start(new IPEndPoint(IPAddress.Loopback, port), "test-node"));
    }

    [Fact]
    public async Task The_cluster_gauges_report_what_the_cluster_code_set()
    {
        using var endpoint = MetricsEndpoint.Start(new IPEndPoint(IPAddress.Loopback, 0), "test-node");
        NodeMetrics.ReportCluster(membersUp: 3, shardsHosted: 40);
        var scrape = await Scrape.GetAsync(endpoint.Url);
        Assert.Equal(3, scrape.Sum("sweetgossip_cluster_members"));
        Assert.Equal(40, scrape.Sum("sweetgossip_cluster_shards"));
    }
}
