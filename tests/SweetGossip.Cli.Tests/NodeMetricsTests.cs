using System.Net;
using System.Net.Sockets;
using SweetGossip.Node.Tests.Support;

namespace SweetGossip.Cli.Tests;

/// <summary>
/// The Prometheus endpoint of `sgossip node run`, scraped over real HTTP from real processes: three nodes in a
/// triangle on loopback TCP relay a topic, one is sent junk instead of a handshake, one pays its own invoice; each
/// process counts only what it did (the meter is per process), so every assertion is about that node alone.
/// </summary>
public class NodeMetricsTests : CliTestBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Three_node_processes_export_what_they_did_on_their_metrics_endpoints()
    {
        var ca = NewAuthority();
        var nodes = new List<NodeProcessHandle>();
        try
        {
            // a listens; b dials a; c dials a and b: every pair linked, so c's topic reaches a and b by two paths.
            var (a, aReady) = await StartAsync(nodes, ca, "a");
            var (b, bReady) = await StartAsync(nodes, ca, "b", Field(aReady, "listen"));
            var (c, cReady) = await StartAsync(nodes, ca, "c", Field(aReady, "listen"), Field(bReady, "listen"));
            foreach (var node in nodes) await node.LinesAsync(l => l.Contains(": up (", StringComparison.Ordinal), 2, "both links up");
            var metrics = new Dictionary<string, string> { ["a"] = Field(aReady, "metrics"), ["b"] = Field(bReady, "metrics"), ["c"] = Field(cReady, "metrics") };
            Assert.All(metrics.Values, url => Assert.Matches(@"^http://127\.0\.0\.1:\d+/metrics$", url));

            // Junk where a handshake should be: a refuses it.
            await SendJunkAsync(Field(aReady, "listen"));
            await a.LineAsync(l => l.Contains("handshake refused", StringComparison.Ordinal) || l.Contains("handshake not completed", StringComparison.Ordinal), "the junk connection refused");

            Ok("topic", "broadcast", "--control", Field(cReady, "control"), "--lat", "-33.8647", "--lon", "151.2096", "--before", "now+30m", "--json");
            // b pays its own invoice (one embedded Lightning network per process): one payment out, one in.
            var invoice = Ok("ln", "invoice", "--amount-sat", "1500", "--memo", "metrics", "--control", Field(bReady, "control"), "--json").Json();
            Ok("ln", "pay", invoice.GetProperty("payment_request").GetString()!, "--control", Field(bReady, "control"), "--json");

            // A relay's second path lands as a duplicate ask, a duplicate broadcast or a lost race: one of the three, somewhere.
            var scrapes = await Until(metrics, s => s.Values.Sum(x => x.Sum("sweetgossip_topics_deduplicated_total")) >= 1
                && s["a"].Sum("sweetgossip_topics_relayed_total") >= 1 && s["b"].Sum("sweetgossip_topics_relayed_total") >= 1
                && s["b"].Sum("sweetgossip_payments_total", "direction=\"in\"") >= 1);

            foreach (var (name, scrape) in scrapes)
            {
                Assert.True(scrape.Sum("sweetgossip_links_open") == 2, $"{name}:\n{scrape}\n{nodes.Single(n => n.Name == name).Output}");
                Assert.Contains("service_name=\"sgossip-node\"", scrape.Text);
            }
            Assert.True(scrapes["a"].Sum("sweetgossip_handshakes_refused_total") >= 1, scrapes["a"].Text);
            Assert.Equal(1, scrapes["c"].Sum("sweetgossip_topics_originated_total"));
            Assert.True(scrapes["c"].Sum("sweetgossip_pow_hashes_total") >= 1, scrapes["c"].Text); // c paid a's and b's favours in work
            Assert.Equal(1, scrapes["a"].Sum("sweetgossip_topics_relayed_total"));
            Assert.Equal(1, scrapes["b"].Sum("sweetgossip_topics_relayed_total"));
            foreach (var granter in new[] { "a", "b" })
            {
                Assert.True(scrapes[granter].Sum("sweetgossip_favours_granted_total", "kind=\"pow\"") >= 1, scrapes[granter].Text);
                Assert.True(scrapes[granter].Sum("sweetgossip_favours_redeemed_total") >= 1, scrapes[granter].Text);
            }
            Assert.Equal(1, scrapes["b"].Sum("sweetgossip_payments_total", "direction=\"in\""));
            Assert.Equal(1, scrapes["b"].Sum("sweetgossip_payments_total", "direction=\"out\""));
            Assert.Equal(1_500_000, scrapes["b"].Sum("sweetgossip_payments_msat_total", "direction=\"in\""));
            Assert.True(scrapes["b"].Sum("sweetgossip_settlement_journal_duration_milliseconds_count") >= 2, scrapes["b"].Text);
            Assert.Equal(0, scrapes["a"].Sum("sweetgossip_payments_total"));
        }
        finally
        {
            foreach (var node in nodes)
            {
                Assert.Equal(0, await node.TerminateAsync());
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public void A_metrics_listen_that_is_not_an_ip_endpoint_stops_the_start_naming_the_key()
    {
        var config = WriteConfig("n", "metrics.listen = \"prometheus.example:9464\"", [], NewAuthority());
        var line = AssertOneLineError(Run("node", "run", "--config", config));
        Assert.Equal($"error: {config}: sweetgossip.metrics.listen: 'prometheus.example:9464': listen on an IP address (e.g. 127.0.0.1:9735 or 0.0.0.0:9735); or \"off\" for no metrics endpoint", line);
    }

    [Fact]
    public async Task A_metrics_port_the_operator_set_that_is_taken_stops_the_start_naming_the_key()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var node = NodeProcessHandle.Start("n", WriteConfig("n", $"metrics.listen = \"127.0.0.1:{port}\"", [], NewAuthority()));
        await node.LineAsync(l => l.Contains($"error: sweetgossip.metrics.listen: cannot listen on 127.0.0.1:{port}", StringComparison.Ordinal), "the refusal");
    }

    [Fact]
    public async Task Metrics_off_starts_without_an_endpoint()
    {
        await using var node = NodeProcessHandle.Start("n", WriteConfig("n", "metrics.listen = off", [], NewAuthority()));
        var ready = await node.LineAsync(l => l.Contains(" ready listen=", StringComparison.Ordinal), "its ready line");
        Assert.Equal("off", Field(ready, "metrics"));
        Assert.Equal(0, await node.TerminateAsync());
    }

    private async Task<(NodeProcessHandle Node, string Ready)> StartAsync(List<NodeProcessHandle> nodes, string ca, string name, params string[] peers)
    {
        var node = NodeProcessHandle.Start(name, WriteConfig(name, "metrics.listen = \"127.0.0.1:0\"", peers, ca));
        nodes.Add(node);
        return (node, await node.LineAsync(l => l.Contains(" ready listen=", StringComparison.Ordinal), "its ready line"));
    }

    /// <summary>Scrapes every node until <paramref name="done"/> holds (the relays finish on their own time), then returns that scrape.</summary>
    private static async Task<Dictionary<string, Scrape>> Until(Dictionary<string, string> urls, Func<Dictionary<string, Scrape>, bool> done)
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            var scrapes = new Dictionary<string, Scrape>();
            foreach (var (name, url) in urls) scrapes[name] = await Scrape.GetAsync(url);
            if (done(scrapes)) return scrapes;
            if (deadline.IsCancellationRequested)
                throw new Xunit.Sdk.XunitException("the counters never got there:\n" + string.Join("\n", scrapes.Select(s => $"--- {s.Key}:\n{s.Value}")));
            await Task.Delay(100); // between scrapes only: the counters are the thing awaited
        }
    }

    private static async Task SendJunkAsync(string listen)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPEndPoint.Parse(listen));
        var stream = client.GetStream();
        await stream.WriteAsync(new byte[512].Select((_, i) => (byte)(i * 31 + 7)).ToArray());
        // The node closes the connection once it has judged the bytes (or its handshake timeout passed).
        var buffer = new byte[4096];
        try
        {
            while (await stream.ReadAsync(buffer).AsTask().WaitAsync(Patience) > 0)
            {
            }
        }
        catch (IOException)
        {
            // reset by the node: refused
        }
    }

    /// <param name="extra">Inside <c>sweetgossip</c>, after the default metrics listener (so it overrides it).</param>
    private string WriteConfig(string name, string extra, string[] peers, string ca)
    {
        var key = NewKey($"{name}.key");
        Issue(ca, key, $"{name}.cert");
        return WriteNodeConfig(name, PublicKeyOf(ca), name, peers, "lightning.starting-balance-msat = 1000000000", section: extra);
    }
}
