namespace SweetGossip.Cli.Tests;

/// <summary>
/// Five `sgossip node run` processes on loopback TCP, in a line: rider — m1 — m2 — m3 — driver. A taxi
/// topic originated through the rider's control endpoint crosses three middlemen (PoW favours at each hop),
/// the driver's sealed offer comes back the same way with a hold invoice per hop, and the rider tries to
/// pay. Each process runs its own embedded Lightning network, so that payment cannot succeed across
/// processes (see hocon/node.conf): the test asserts the whole gossip and reply path up to it.
/// </summary>
public class NodeNetworkTests : CliTestBase
{
    private const ulong DriverPriceMsat = 25_000_000;
    private const ulong RelayFeeMsat = 1_000; // reference.conf's default

    [Fact]
    public async Task Five_processes_gossip_a_taxi_topic_over_tcp_and_the_drivers_offer_reaches_the_rider()
    {
        var ca = NewAuthority();
        var authorityKey = PublicKeyOf(ca);
        var names = new[] { "driver", "m3", "m2", "m1", "rider" }; // started driver first: each dials the one before
        var nodes = new List<NodeProcessHandle>();
        try
        {
            string? previous = null;
            var controls = new Dictionary<string, string>();
            foreach (var name in names)
            {
                var config = WriteNodeConfig(name, authorityKey, previous);
                var node = NodeProcessHandle.Start(name, config);
                nodes.Add(node);
                var ready = await node.LineAsync(l => l.Contains(" ready listen=", StringComparison.Ordinal), "its ready line");
                previous = Field(ready, "listen");
                controls[name] = Field(ready, "control");
            }

            // Every link of the line is up, at both ends.
            foreach (var node in nodes)
                await node.LinesAsync(l => l.Contains(": up (", StringComparison.Ordinal), node.Name is "driver" or "rider" ? 1 : 2, "link up");
            var rider = nodes[^1];
            var status = Ok("node", "status", "--control", controls["rider"], "--json").Json();
            Assert.Equal(1, status.GetProperty("peers").GetInt32());

            var topic = Ok("topic", "broadcast", "--control", controls["rider"], "--lat", "-33.8647", "--lon", "151.2096", "--before", "now+30m", "--json").Json();
            var payloadId = topic.GetProperty("payload_id").GetString()!;
            var refused = AssertOneLineError(Run("topic", "broadcast", "--control", controls["rider"], "--lat", "100", "--lon", "151"));
            Assert.Equal("error: the node refused: lat: 100 is outside -90..90", refused);
            Assert.Equal("r3gx2g5", topic.GetProperty("pickup_geohash").GetString());

            await rider.LineAsync(l => l.Contains($"offer arrived for payload {payloadId}", StringComparison.Ordinal), "the driver's offer arriving");
            // The rider checked the sealed header and paid the first hop's invoice, which its own embedded
            // Lightning network cannot route to m1's: this is where separate processes part.
            var paid = await rider.LineAsync(l => l.Contains($"offer for {payloadId}: payment", StringComparison.Ordinal), "its attempt to pay");
            Assert.Contains("payment failed: Failed UnknownPayee", paid);

            var replies = Ok("replies", "--control", controls["rider"], "--json").Json().GetProperty("replies").EnumerateArray().ToList();
            var arrived = Assert.Single(replies);
            Assert.Equal("arrived", arrived.GetProperty("state").GetString());
            Assert.Equal(payloadId, arrived.GetProperty("payload_id").GetString());
            // The driver's price plus one relay fee per middleman: each hop re-invoiced under the same hash.
            Assert.Equal(DriverPriceMsat + 3 * RelayFeeMsat, arrived.GetProperty("invoice_msat").GetUInt64());
        }
        finally
        {
            var exits = await Task.WhenAll(nodes.Select(n => n.TerminateAsync()));
            foreach (var (node, exit) in nodes.Zip(exits))
            {
                Assert.True(exit == 0, $"{node.Name} exited with {exit}:\n{node.Output}");
                Assert.Contains(" stopped", node.Output);
            }
            foreach (var node in nodes) await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_running_node_issues_invoices_and_pays_them_through_its_settlement_actor()
    {
        var ca = NewAuthority();
        await using var node = NodeProcessHandle.Start("wallet", WriteNodeConfig("wallet", PublicKeyOf(ca), null));
        var control = Field(await node.LineAsync(l => l.Contains(" ready listen=", StringComparison.Ordinal), "its ready line"), "control");
        try
        {
            var invoice = Ok("ln", "invoice", "--amount-sat", "1500", "--memo", "ride", "--control", control, "--json").Json();
            var bolt11 = invoice.GetProperty("payment_request").GetString()!;
            Assert.Equal(1_500_000UL, invoice.GetProperty("amount_msat").GetUInt64());

            // The embedded network lets a node pay its own invoice: the round trip through both settlement paths.
            var paid = Ok("ln", "pay", bolt11, "--control", control, "--json").Json();
            Assert.Equal("succeeded", paid.GetProperty("status").GetString());
            Assert.Equal(invoice.GetProperty("payment_hash").GetString(),
                Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Convert.FromHexString(paid.GetProperty("preimage").GetString()!))));

            var again = Run("ln", "pay", bolt11, "--control", control);
            Assert.Contains("already paid", AssertOneLineError(again));
            Assert.StartsWith("error: the node refused:", AssertOneLineError(Run("ln", "pay", "lnbc1garbage", "--control", control)));
        }
        finally
        {
            Assert.Equal(0, await node.TerminateAsync());
        }
    }

    private string WriteNodeConfig(string name, string authorityKey, string? peer)
    {
        var key = NewKey($"{name}.key");
        Issue(Path.Combine(Dir, "ca.json"), key, $"{name}.cert");
        var policy = name == "driver"
            ? $$"""{ kind = taxi-driver, area = "r3gx", price-msat = {{DriverPriceMsat}}, message = "Prius, 6 min away" }"""
            : "{ kind = none }";
        var path = PathOf($"{name}.conf");
        File.WriteAllText(path, $$"""
            sweetgossip {
              data-directory = "data-{{name}}"
              node {
                listen = "127.0.0.1:0"
                peers = [{{(peer is null ? "" : $"\"{peer}\"")}}]
                identity-key-file = "{{name}}.key"
                certificate-file = "{{name}}.cert"
                trusted-authorities = [{ name = "Sydney Taxi Council", public-key = "{{authorityKey}}" }]
                pow { base-difficulty = 4, max-extra = 4, workers = 1 }
                lightning.starting-balance-msat = 1000000000
                reply-policy = {{policy}}
              }
              control.listen = "127.0.0.1:0"
            }
            """);
        return path;
    }

    /// <summary>The value of <c>key=value</c> in a log line.</summary>
    private static string Field(string line, string key) =>
        line.Split(' ').Single(part => part.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];
}
