using SweetGossip.Lightning.Port;
using SweetGossip.Lightning.Remote;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cli.Tests;

/// <summary>
/// Five `sgossip node run` processes on loopback TCP, in a line: rider — m1 — m2 — m3 — driver, sharing one
/// Lightning hub process (`sgossip ln hub`). A taxi topic originated through the rider's control endpoint
/// crosses three middlemen (PoW favours at each hop), the driver's sealed offer comes back the same way with
/// a hold invoice per hop, the rider pays, and the money really moves between processes: each middleman
/// earns its fee, the driver its price, and the rider opens the reply. Balances are read from the hub.
/// </summary>
public class NodeNetworkTests : CliTestBase
{
    private const ulong DriverPriceMsat = 25_000_000;
    private const ulong RelayFeeMsat = 1_000; // reference.conf's default
    private const ulong Opening = 1_000_000_000;
    private static readonly string[] Line = ["driver", "m3", "m2", "m1", "rider"]; // started driver first: each dials the one before

    [Fact]
    public async Task Five_processes_on_one_lightning_hub_run_the_whole_flow_and_every_hop_is_paid()
    {
        var ca = NewAuthority();
        await using var hub = await LightningHubProcess.StartAsync(Dir);
        var nodes = new List<NodeProcessHandle>();
        try
        {
            var controls = await StartLine(nodes, PublicKeyOf(ca), hub);
            var rider = nodes[^1];
            var status = Ok("node", "status", "--control", controls["rider"], "--json").Json();
            Assert.Equal(1, status.GetProperty("peers").GetInt32());
            Assert.Equal("hub", status.GetProperty("lightning").GetString());
            Assert.Equal(Opening, status.GetProperty("balance_msat").GetUInt64());
            var maps = status.GetProperty("maps");
            Assert.Equal(1, maps.GetProperty("connections").GetInt32()); // every bounded map, by name
            Assert.Equal(0, maps.GetProperty("favours-open").GetInt32());

            var topic = Ok("topic", "broadcast", "--control", controls["rider"], "--lat", "-33.8647", "--lon", "151.2096", "--before", "now+30m", "--json").Json();
            var payloadId = topic.GetProperty("payload_id").GetString()!;
            var refused = AssertOneLineError(Run("topic", "broadcast", "--control", controls["rider"], "--lat", "100", "--lon", "151"));
            Assert.Equal("error: the node refused: lat: 100 is outside -90..90", refused);
            Assert.Equal("r3gx2g5", topic.GetProperty("pickup_geohash").GetString());

            await rider.LineAsync(l => l.Contains($"offer arrived for payload {payloadId}", StringComparison.Ordinal), "the driver's offer arriving");
            // Paid through the hub, settled hop by hop with the driver's preimage, opened, validated with the driver.
            var delivered = await rider.LineAsync(l => l.Contains($"reply delivered for payload {payloadId}", StringComparison.Ordinal), "the reply delivered");
            Assert.Contains("\"Prius, 6 min away\"", delivered);
            Assert.Contains($"paid {DriverPriceMsat + 3 * RelayFeeMsat} msat", delivered);

            var replies = Ok("replies", "--control", controls["rider"], "--json").Json().GetProperty("replies").EnumerateArray().ToList();
            Assert.Equal(["arrived", "delivered"], replies.Select(r => r.GetProperty("state").GetString()));
            Assert.Equal(DriverPriceMsat + 3 * RelayFeeMsat, replies[0].GetProperty("invoice_msat").GetUInt64());

            // The money moved between processes, exactly once per hop.
            var state = await hub.StateAsync();
            AssertPaidOnce(state);
            Assert.Equal(Opening - DriverPriceMsat - 3 * RelayFeeMsat, Ok("node", "status", "--control", controls["rider"], "--json").Json().GetProperty("balance_msat").GetUInt64());
        }
        finally
        {
            await StopAll(nodes);
        }
        Assert.Equal(0, await hub.Process.TerminateAsync());
    }

    /// <summary>
    /// Issue 4's crash test. The rider's auto-pay limit is below the offer, so the chain stands still with every
    /// hop's invoice Open until the test pays (through the rider's journaled settlement actor). The driver is
    /// frozen (SIGSTOP) first, so the payment runs down to it and stops: m3 has journaled and made its downstream
    /// payment (the driver's invoice is Accepted at the hub) and holds m2's HTLC, unable to settle without the
    /// preimage. Then m3 is killed -9, the driver thawed (it settles: m3's payment succeeds while m3 is dead),
    /// and m3 restarted on the same data directory: it must learn the preimage from the hub and settle upstream,
    /// once. Every step waits on the hub's state or a log line; nothing waits on time.
    /// </summary>
    [Fact]
    public async Task A_middleman_killed_mid_payment_and_restarted_loses_and_doubles_nothing()
    {
        var ca = NewAuthority();
        await using var hub = await LightningHubProcess.StartAsync(Dir);
        var nodes = new List<NodeProcessHandle>();
        NodeProcessHandle? killed = null;
        Hash32 hash;
        try
        {
            var controls = await StartLine(nodes, PublicKeyOf(ca), hub, riderExtra: "auto-pay-max-msat = 1");
            var (driver, m3, rider) = (nodes[0], nodes[1], nodes[^1]);
            var payloadId = Ok("topic", "broadcast", "--control", controls["rider"], "--lat", "-33.8647", "--lon", "151.2096", "--before", "now+30m", "--json")
                .Json().GetProperty("payload_id").GetString()!;
            await rider.LineAsync(l => l.Contains($"offer for {payloadId}: offer refused: AmountAboveLimit", StringComparison.Ordinal), "its refusal to auto-pay");

            // The whole chain of invoices stands, unpaid: one per hop under the driver's payment hash.
            var before = await hub.StateAsync();
            Assert.Equal(["driver", "m3", "m2", "m1"], before.Invoices.OrderBy(i => i.AmountMsat).Select(i => i.Payee));
            Assert.All(before.Invoices, i => Assert.Equal(InvoiceState.Open, i.State));
            hash = Assert.Single(before.Invoices.Select(i => i.PaymentHash).Distinct());
            var top = before.Invoices.Single(i => i.Payee == "m1");

            driver.Freeze();
            var pay = Task.Run(() => Run("ln", "pay", top.PaymentRequest, "--control", controls["rider"], "--json"));
            // rider → m1 → m2 → m3 → driver: the last HTLC is locked; the frozen driver cannot settle it.
            await hub.InvoiceAsync("driver", hash, InvoiceState.Accepted);
            var held = await hub.StateAsync();
            Assert.Equal("m3", held.Invoices.Single(i => i.Payee == "driver").Payer);
            Assert.All(held.Invoices, i => Assert.Equal(InvoiceState.Accepted, i.State));
            Assert.Equal(DriverPriceMsat, Node(held, "m3").OutgoingLockedMsat);
            Assert.False(pay.IsCompleted);

            await m3.KillAsync();
            killed = m3;
            nodes.Remove(m3);
            // What the dead middleman's journal holds: the relay, its upstream invoice accepted, the downstream
            // payment started (journaled before it was made), and nothing after.
            Assert.Equal(["RelayRegisteredEvent", "InvoiceIssuedEvent", "InvoiceAcceptedEvent", "PaymentStartedEvent"], Journal("m3", hash));
            driver.Continue();
            // The driver settles: m3's payment succeeds at the hub while m3 is dead; m2's HTLC at m3 is still held.
            await hub.InvoiceAsync("driver", hash, InvoiceState.Settled);
            var crashed = await hub.StateAsync();
            Assert.Equal(InvoiceState.Accepted, crashed.Invoices.Single(i => i.Payee == "m3").State);
            Assert.Equal(Opening - DriverPriceMsat, Node(crashed, "m3").AvailableMsat);
            Assert.False(pay.IsCompleted);

            // Same config, same data directory (SQLite journal), same name at the hub.
            var restarted = NodeProcessHandle.Start("m3", PathOf("m3.conf"));
            nodes.Insert(1, restarted);
            await restarted.LineAsync(l => l.Contains(" ready listen=", StringComparison.Ordinal), "its ready line after the restart");
            await restarted.LineAsync(l => l.Contains("settlement settlement-node recovered", StringComparison.Ordinal), "its settlement recovering the journal");

            var payRun = await pay.WaitAsync(TimeSpan.FromSeconds(90));
            Assert.True(payRun.ExitCode == 0, $"ln pay: {payRun}\nrider:\n{rider.Output}\nm3 after the restart:\n{restarted.Output}\nhub:\n{hub.Process.Output}");
            var paid = payRun.Json();
            Assert.Equal("succeeded", paid.GetProperty("status").GetString());
            Assert.Equal(hash.ToHex(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Convert.FromHexString(paid.GetProperty("preimage").GetString()!))));
            var after = await hub.StateAsync();
            AssertPaidOnce(after);
        }
        finally
        {
            await StopAll(nodes);
            if (killed is not null) await killed.DisposeAsync();
        }
        Assert.Equal(0, await hub.Process.TerminateAsync());
        // After the restart it finished from the journal: one payment, learned, settled upstream; nothing twice.
        Assert.Equal(["RelayRegisteredEvent", "InvoiceIssuedEvent", "InvoiceAcceptedEvent", "PaymentStartedEvent", "PaymentSucceededEvent", "InvoiceSettledEvent"], Journal("m3", hash));
    }

    /// <summary>
    /// Issue 9's hub crash test. The chain of hold invoices stands Open (auto-pay below the offer); the driver is frozen
    /// and the test pays the top invoice, so every hop's HTLC ends up held at the hub (the driver's invoice Accepted).
    /// Then the hub is killed -9 with the whole chain in flight, the driver thawed (its polls fail while the hub is
    /// down), and the hub restarted on the same data and port: it replays its journal, the nodes' adapters reconnect,
    /// the driver sees its invoice Accepted and settles, and the chain settles hop by hop up to the rider. Every invoice
    /// went Open → Accepted → Settled once, only price and fees moved, nothing is left locked, money is conserved.
    /// </summary>
    [Fact]
    public async Task The_hub_killed_mid_chain_and_restarted_on_its_data_loses_and_doubles_nothing()
    {
        var ca = NewAuthority();
        await using var hub = await LightningHubProcess.StartAsync(Dir);
        var nodes = new List<NodeProcessHandle>();
        try
        {
            var controls = await StartLine(nodes, PublicKeyOf(ca), hub, riderExtra: "auto-pay-max-msat = 1");
            var (driver, rider) = (nodes[0], nodes[^1]);
            var payloadId = Ok("topic", "broadcast", "--control", controls["rider"], "--lat", "-33.8647", "--lon", "151.2096", "--before", "now+30m", "--json")
                .Json().GetProperty("payload_id").GetString()!;
            await rider.LineAsync(l => l.Contains($"offer for {payloadId}: offer refused: AmountAboveLimit", StringComparison.Ordinal), "its refusal to auto-pay");
            var before = await hub.StateAsync();
            var hash = Assert.Single(before.Invoices.Select(i => i.PaymentHash).Distinct());
            var top = before.Invoices.Single(i => i.Payee == "m1");

            driver.Freeze();
            var pay = Task.Run(() => Run("ln", "pay", top.PaymentRequest, "--control", controls["rider"], "--json"));
            await hub.InvoiceAsync("driver", hash, InvoiceState.Accepted);
            var held = await hub.StateAsync();
            Assert.All(held.Invoices, i => Assert.Equal(InvoiceState.Accepted, i.State));

            await hub.Process.KillAsync();
            driver.Continue();
            await hub.RestartAsync();
            Assert.Contains("recovered nodes=5 snapshot=0 replayed=", hub.Process.Output);

            var payRun = await Finished(pay, nodes, hub);
            Assert.True(payRun.ExitCode == 0, $"ln pay: {payRun}\nrider:\n{rider.Output}\ndriver:\n{driver.Output}\nhub after the restart:\n{hub.Process.Output}");
            var paid = payRun.Json();
            Assert.Equal("succeeded", paid.GetProperty("status").GetString());
            Assert.Equal(hash.ToHex(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Convert.FromHexString(paid.GetProperty("preimage").GetString()!))));
            AssertPaidOnce(await hub.StateAsync());
        }
        finally
        {
            await StopAll(nodes);
        }
        Assert.Equal(0, await hub.Process.TerminateAsync());
    }

    /// <summary>The `ln pay` run once it ends; if it never does, a failure with every process's output.</summary>
    private static async Task<CliResult> Finished(Task<CliResult> pay, List<NodeProcessHandle> nodes, LightningHubProcess hub)
    {
        try
        {
            return await pay.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException("ln pay never ended\n" + string.Join("\n", nodes.Select(n => $"--- {n.Name}:\n{n.Output}")) + $"\n--- hub:\n{hub.Process.Output}");
        }
    }

    /// <summary>The kinds of a node's settlement events about one payment hash, in journal order, read from its SQLite file.</summary>
    private List<string> Journal(string name, Hash32 hash)
    {
        var serializer = new SweetGossip.Node.Settlement.SettlementEventSerializer(null!);
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={PathOf($"data-{name}/journal.db")};Pooling=False");
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT payload, manifest FROM event_journal WHERE persistence_id = 'settlement-node' ORDER BY sequence_nr";
        using var reader = query.ExecuteReader();
        var kinds = new List<string>();
        while (reader.Read())
        {
            var e = (SweetGossip.Node.Settlement.SettlementEvent)serializer.FromBinary((byte[])reader[0], reader.GetString(1));
            if (e.PaymentHash == hash) kinds.Add(e.GetType().Name);
        }
        return kinds;
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

    /// <summary>Starts the line driver … rider, each dialling the one started before, and waits until every link is up at both ends.</summary>
    private async Task<Dictionary<string, string>> StartLine(List<NodeProcessHandle> nodes, string authorityKey, LightningHubProcess hub, string riderExtra = "")
    {
        string? previous = null;
        var controls = new Dictionary<string, string>();
        foreach (var name in Line)
        {
            var node = NodeProcessHandle.Start(name, WriteNodeConfig(name, authorityKey, previous, hub, name == "rider" ? riderExtra : ""));
            nodes.Add(node);
            var ready = await node.LineAsync(l => l.Contains(" ready listen=", StringComparison.Ordinal), "its ready line");
            previous = Field(ready, "listen");
            controls[name] = Field(ready, "control");
        }
        foreach (var node in nodes)
            await node.LinesAsync(l => l.Contains(": up (", StringComparison.Ordinal), node.Name is "driver" or "rider" ? 1 : 2, "link up");
        return controls;
    }

    /// <summary>The chain was paid exactly once: every hop's invoice went Open → Accepted → Settled once, paid by the next node up, and the balances moved by price and fees only.</summary>
    private static void AssertPaidOnce(HubState state)
    {
        Assert.Equal("ok", state.Invariants);
        Assert.Equal(5 * Opening, state.TotalMsat);
        var payers = new Dictionary<string, string> { ["driver"] = "m3", ["m3"] = "m2", ["m2"] = "m1", ["m1"] = "rider" };
        Assert.Equal(4, state.Invoices.Count);
        foreach (var invoice in state.Invoices)
        {
            Assert.Equal([InvoiceState.Open, InvoiceState.Accepted, InvoiceState.Settled], invoice.History);
            Assert.Equal(payers[invoice.Payee], invoice.Payer);
        }
        Assert.Equal(new Dictionary<string, ulong>
        {
            ["driver"] = Opening + DriverPriceMsat,
            ["m3"] = Opening + RelayFeeMsat,
            ["m2"] = Opening + RelayFeeMsat,
            ["m1"] = Opening + RelayFeeMsat,
            ["rider"] = Opening - DriverPriceMsat - 3 * RelayFeeMsat,
        }, state.Nodes.ToDictionary(n => n.Name, n => n.AvailableMsat));
        Assert.All(state.Nodes, n => Assert.Equal((0UL, 0UL), (n.OutgoingLockedMsat, n.IncomingPendingMsat)));
    }

    private static HubNodeState Node(HubState state, string name) => state.Nodes.Single(n => n.Name == name);

    private static async Task StopAll(List<NodeProcessHandle> nodes)
    {
        var exits = await Task.WhenAll(nodes.Select(n => n.TerminateAsync()));
        foreach (var (node, exit) in nodes.Zip(exits))
        {
            Assert.True(exit == 0, $"{node.Name} exited with {exit}:\n{node.Output}");
            Assert.Contains(" stopped", node.Output);
        }
        foreach (var node in nodes) await node.DisposeAsync();
    }

    private string WriteNodeConfig(string name, string authorityKey, string? peer, LightningHubProcess? hub = null, string extra = "")
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
                lightning { starting-balance-msat = {{Opening}}{{(hub is null ? "" : $", kind = hub, hub = \"{hub.Url}\", name = {name}, hub-token-file = \"{Path.GetRelativePath(Dir, hub.TokenFile)}\"")}} }
                reply-policy = {{policy}}
                {{extra}}
              }
              control.listen = "127.0.0.1:0"
            }
            """);
        return path;
    }
}
