using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SweetGossip.Daemon.Hosting;
using SweetGossip.LightningHub;
using SweetGossip.Lightning.Port;
using SweetGossip.Lightning.Remote;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cli.Tests;

/// <summary>
/// The hub keeps money across restarts: balances, invoices in every state, held HTLCs and the payments through it
/// come back from its journal (SQLite in --data, or PostgreSQL by configuration), from the events alone or from a
/// snapshot and the events after it; a payment held across the restart completes; deadlines go on applying. Every
/// request needs the token; a client behind the bounded update log is re-synced from current states.
/// </summary>
public sealed class HubPersistenceTests : IAsyncLifetime
{
    private const ulong Opening = 1_000_000_000;

    private readonly string _data = Path.Combine(Path.GetTempPath(), "sgossip-hub-tests", Guid.NewGuid().ToString("N"));
    private readonly List<RemoteLightningNode> _clients = [];
    private HubHost? _host;
    private string? _hocon;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        if (_host is not null) await _host.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private HubHost Host => _host!;

    private string Token => HubToken.Read(Host.TokenFile);

    private async Task StartAsync(string? hocon = null, int port = 0)
    {
        _hocon = hocon ?? _hocon;
        _host = await HubHost.StartAsync(new IPEndPoint(IPAddress.Loopback, port), _data, _hocon, _ => { });
    }

    /// <summary>Stops the hub (answered changes are written) and starts it again on the same data and port: clients keep their URL.</summary>
    private async Task RestartAsync()
    {
        var port = new Uri(Host.Url).Port;
        await Host.DisposeAsync();
        _host = null;
        await StartAsync(port: port);
    }

    private async Task<RemoteLightningNode> Connect(string name)
    {
        var node = await RemoteLightningNode.ConnectAsync(new Uri(Host.Url), Token, name, Opening, pollWait: TimeSpan.FromSeconds(1));
        _clients.Add(node);
        return node;
    }

    [Theory]
    [InlineData(1000)] // recovery replays every event
    [InlineData(2)]    // recovery loads a snapshot and replays the few events after it; older events are deleted
    public async Task A_restarted_hub_keeps_balances_invoices_in_every_state_and_its_holds(int snapshotEvery)
    {
        await StartAsync($"sweetgossip.hub.snapshot-every = {snapshotEvery}");
        var payer = await Connect("payer");
        var payee = await Connect("payee");
        var updates = new InvoiceUpdates();
        using var subscription = payee.SubscribeInvoices(updates.Add);
        var (open, held, settled, cancelled, refunded, expiring) = (Hash32.Random(), Hash32.Random(), Hash32.Random(), Hash32.Random(), Hash32.Random(), Hash32.Random());
        async Task<HoldInvoice> Add(Hash32 preimage, ulong amount, TimeSpan? expiry = null) =>
            await payee.AddHoldInvoiceAsync(preimage.Sha256(), amount, "ride", expiry ?? TimeSpan.FromMinutes(30), 40);
        await Add(open, 1_000);
        var heldInvoice = await Add(held, 2_000);
        var settledInvoice = await Add(settled, 3_000);
        await Add(cancelled, 4_000);
        var refundedInvoice = await Add(refunded, 5_000);
        await Add(expiring, 6_000, TimeSpan.FromSeconds(2));

        var heldPayment = payer.PayAsync(heldInvoice.PaymentRequest);
        var settledPayment = payer.PayAsync(settledInvoice.PaymentRequest);
        var refundedPayment = payer.PayAsync(refundedInvoice.PaymentRequest);
        await updates.Any(u => u.PaymentHash == settled.Sha256() && u.State == InvoiceState.Accepted);
        await payee.SettleInvoiceAsync(settled);
        await payee.CancelInvoiceAsync(cancelled.Sha256());
        await updates.Any(u => u.PaymentHash == refunded.Sha256() && u.State == InvoiceState.Accepted);
        await payee.CancelInvoiceAsync(refunded.Sha256());
        await updates.Any(u => u.PaymentHash == held.Sha256() && u.State == InvoiceState.Accepted);
        Assert.True((await settledPayment).Succeeded);
        Assert.Equal(PaymentFailureReason.PayeeCancelled, (await refundedPayment).FailureReason);
        var before = Host.Hub.State();

        await RestartAsync();

        if (snapshotEvery < 1000) Assert.True(Host.Recovered.SnapshotSequenceNr > 0, Host.Recovered.ToString());
        else Assert.Equal(0, Host.Recovered.SnapshotSequenceNr);
        var after = Host.Hub.State();
        Assert.Equal(Canonical(before, except: expiring.Sha256()), Canonical(after, except: expiring.Sha256()));
        Assert.Equal("ok", after.Invariants);
        Assert.Equal(new LightningBalance(Opening - 3_000 - 2_000, 2_000, 0), await payer.GetBalanceAsync());
        Assert.Equal(new LightningBalance(Opening + 3_000, 0, 2_000), await payee.GetBalanceAsync());
        Assert.Equal(InvoiceState.Accepted, (await payee.LookupInvoiceAsync(held.Sha256())).State);
        Assert.False(heldPayment.IsCompleted); // held across the restart

        // Deadlines keep applying: the short invoice expires (during the restart or after it) and the payee hears of it.
        var expired = await updates.Any(u => u.PaymentHash == expiring.Sha256() && u.State == InvoiceState.Cancelled);
        Assert.Equal(InvoiceCancelReason.Expired, expired.Invoice.CancelReason);

        // The HTLC held across the restart settles: the payer's payment (polling all along) and TrackPayment see it.
        await payee.SettleInvoiceAsync(held);
        Assert.Equal(held, (await heldPayment.WaitAsync(TimeSpan.FromSeconds(60))).Preimage);
        Assert.Equal(held, (await payer.TrackPaymentAsync(held.Sha256()))!.Preimage);
        Assert.Equal(settled, (await payer.TrackPaymentAsync(settled.Sha256()))!.Preimage);
        Assert.Equal(PaymentFailureReason.PayeeCancelled, (await payer.TrackPaymentAsync(refunded.Sha256()))!.FailureReason);
        Assert.Equal(PaymentFailureReason.AlreadyPaid, (await payer.PayAsync(settledInvoice.PaymentRequest)).FailureReason);
        var final = Host.Hub.State();
        Assert.Equal("ok", final.Invariants);
        Assert.Equal(2 * Opening, final.TotalMsat);
        Assert.Equal([InvoiceState.Open, InvoiceState.Accepted, InvoiceState.Settled], final.Invoices.Single(i => i.PaymentHash == held.Sha256()).History);
        Assert.Equal("payer", final.Invoices.Single(i => i.PaymentHash == held.Sha256()).Payer);
        Assert.Equal(new LightningBalance(Opening + 5_000, 0, 0), await payee.GetBalanceAsync());
        var again = await RemoteLightningNode.ConnectAsync(new Uri(Host.Url), Token, "payer", 1);
        _clients.Add(again);
        Assert.Equal(payer.NodeId, again.NodeId); // the same node, not a second opening balance
    }

    [Fact]
    public async Task A_settle_sent_while_the_hub_is_down_goes_through_once_it_is_back()
    {
        await StartAsync();
        var payer = await Connect("payer");
        var payee = await Connect("payee");
        var preimage = Hash32.Random();
        var invoice = await payee.AddHoldInvoiceAsync(preimage.Sha256(), 8_000, "", TimeSpan.FromMinutes(5), 18);
        var updates = new InvoiceUpdates();
        using var subscription = payee.SubscribeSingleInvoice(preimage.Sha256(), updates.Add);
        var payment = payer.PayAsync(invoice.PaymentRequest);
        await updates.Next(u => u.State == InvoiceState.Accepted);
        var port = new Uri(Host.Url).Port;
        await Host.DisposeAsync();
        _host = null;

        var settle = payee.SettleInvoiceAsync(preimage); // the hub is down: it keeps trying
        await StartAsync(port: port);

        await settle.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(preimage, (await payment.WaitAsync(TimeSpan.FromSeconds(60))).Preimage);
        Assert.Equal(InvoiceState.Settled, (await updates.Next(u => u.State == InvoiceState.Settled)).State);
    }

    [Fact]
    public async Task Requests_without_the_token_or_with_a_wrong_one_are_refused_and_nothing_moves_and_one_hub_owns_its_data()
    {
        await StartAsync();
        var token = File.ReadAllText(Host.TokenFile);
        Assert.Matches("^[0-9a-f]{64}\n$", token);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Host.TokenFile));
        var payer = await Connect("payer");
        var payee = await Connect("payee");
        var invoice = await payee.AddHoldInvoiceAsync(Hash32.Random().Sha256(), 7_000, "", TimeSpan.FromMinutes(5), 18);
        var before = Canonical(Host.Hub.State());

        using var http = new HttpClient { BaseAddress = new Uri(Host.Url) };
        var other = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        foreach (var authorization in new string?[] { null, $"Bearer {other}", "Bearer " + token.Trim()[..63], "Bearer", $"Basic {token.Trim()}", $"Bearer {token.Trim()}x" })
        {
            foreach (var request in new Func<HttpRequestMessage>[]
            {
                () => new HttpRequestMessage(HttpMethod.Post, "nodes") { Content = JsonContent.Create(new HubRegisterRequest("mallory", Opening), options: HubJson.Options) },
                () => new HttpRequestMessage(HttpMethod.Post, "nodes/payer/payments") { Content = JsonContent.Create(new HubPayRequest(invoice.PaymentRequest, 0), options: HubJson.Options) },
                () => new HttpRequestMessage(HttpMethod.Post, $"nodes/payee/invoices/{invoice.PaymentHash.ToHex()}/cancel"),
                () => new HttpRequestMessage(HttpMethod.Get, "state"),
            })
            {
                using var message = request();
                if (authorization is not null) message.Headers.TryAddWithoutValidation("Authorization", authorization);
                using var response = await http.SendAsync(message);
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
                var error = await response.Content.ReadFromJsonAsync<HubError>(HubJson.Options);
                Assert.StartsWith("unauthorized: send the hub token in an Authorization: Bearer header", error!.Error);
            }
        }

        Assert.Equal(before, Canonical(Host.Hub.State())); // no node, no payment, no cancel
        Assert.Equal(new LightningBalance(Opening, 0, 0), await payer.GetBalanceAsync());
        var (code, _, err) = Cli("ln", "hub-state", "--hub", Host.Url, "--token-file", WriteFile("wrong.token", other));
        Assert.Equal(1, code);
        Assert.StartsWith("error: the Lightning hub at", err);
        Assert.Contains("refused the token", err);

        // One hub per data directory.
        var second = await Assert.ThrowsAsync<StartupException>(() => HubHost.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), _data, null, _ => { }));
        Assert.Contains("another hub is running", second.Message);

        // The token is written once: a restart reads it back, unchanged.
        await RestartAsync();
        Assert.Equal(token, File.ReadAllText(Host.TokenFile));
        Assert.Equal(InvoiceState.Open, (await payee.LookupInvoiceAsync(invoice.PaymentHash)).State);
    }

    [Fact]
    public async Task A_client_behind_the_bounded_log_gets_every_invoices_current_state_then_live_updates()
    {
        await StartAsync("sweetgossip.hub.update-log-window = 3");
        var late = await Connect("payee"); // registered at sequence 0; it polls only once something subscribes
        var payee = await Connect("payee");
        var payer = await Connect("payer");
        var (a, b, c, d) = (Hash32.Random(), Hash32.Random(), Hash32.Random(), Hash32.Random());
        foreach (var preimage in new[] { a, b, c, d })
            await payee.AddHoldInvoiceAsync(preimage.Sha256(), 1_000, "", TimeSpan.FromMinutes(5), 18); // 1..4 Open
        var bInvoice = await payee.LookupInvoiceAsync(b.Sha256());
        var single = new InvoiceUpdates();
        using (payee.SubscribeSingleInvoice(b.Sha256(), single.Add))
        {
            var payment = payer.PayAsync(bInvoice.PaymentRequest);                                           // 5 b Accepted
            await single.Next(u => u.State == InvoiceState.Accepted);
            await payee.SettleInvoiceAsync(b);                                                               // 6 b Settled
            Assert.True((await payment).Succeeded);
        }
        await payee.CancelInvoiceAsync(c.Sha256());                                                          // 7 c Cancelled

        // The log keeps 5..7: a cursor at 0 gets the latest state of each invoice changed after it, in order.
        using var http = new HttpClient { BaseAddress = new Uri(Host.Url) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
        var view = (await http.GetFromJsonAsync<HubUpdatesView>("nodes/payee/invoices/updates?after=0&wait=0", HubJson.Options))!;
        Assert.True(view.Truncated);
        Assert.Equal(7UL, view.Next);
        Assert.Equal([(1UL, a, InvoiceState.Open), (4UL, d, InvoiceState.Open), (6UL, b, InvoiceState.Settled), (7UL, c, InvoiceState.Cancelled)],
            view.Updates.Select(u => (u.Sequence, Preimage(u, a, b, c, d), u.State)));
        var within = (await http.GetFromJsonAsync<HubUpdatesView>("nodes/payee/invoices/updates?after=5&wait=0", HubJson.Options))!;
        Assert.False(within.Truncated);
        Assert.Equal([6UL, 7UL], within.Updates.Select(u => u.Sequence));

        // The late client's subscriber gets the same current states once, in order, then what happens next.
        var seen = new InvoiceUpdates();
        using var subscription = late.SubscribeInvoices(seen.Add);
        await seen.Next(u => u.Sequence == 7);
        var e = Hash32.Random();
        await payee.AddHoldInvoiceAsync(e.Sha256(), 1_000, "", TimeSpan.FromMinutes(5), 18);                 // 8 e Open
        await seen.Next(u => u.Sequence == 8);
        Assert.Equal([(1UL, InvoiceState.Open), (4UL, InvoiceState.Open), (6UL, InvoiceState.Settled), (7UL, InvoiceState.Cancelled), (8UL, InvoiceState.Open)],
            seen.All().Select(u => (u.Sequence, u.State)));
        Assert.Equal(b, seen.All()[2].Invoice.Preimage);
    }

    [Fact]
    public async Task The_journal_runs_on_postgresql_by_configuration_and_the_hub_recovers_from_it()
    {
        using var server = new SweetGossip.Node.Tests.Support.PostgreSqlServer();
        var connection = server.ConnectionString;
        await StartAsync($$"""
            akka.persistence.journal.sql { provider-name = "PostgreSQL.15", table-mapping = postgresql, connection-string = "{{connection}}" }
            akka.persistence.snapshot-store.sql { provider-name = "PostgreSQL.15", table-mapping = postgresql, connection-string = "{{connection}}" }
            sweetgossip.hub.snapshot-every = 3
            """);
        var payer = await Connect("payer");
        var payee = await Connect("payee");
        var preimage = Hash32.Random();
        var invoice = await payee.AddHoldInvoiceAsync(preimage.Sha256(), 9_000, "pg", TimeSpan.FromMinutes(5), 18);
        var updates = new InvoiceUpdates();
        using var subscription = payee.SubscribeSingleInvoice(preimage.Sha256(), updates.Add);
        var payment = payer.PayAsync(invoice.PaymentRequest);
        await updates.Next(u => u.State == InvoiceState.Accepted);
        var before = Canonical(Host.Hub.State());

        await RestartAsync();

        Assert.False(File.Exists(Path.Combine(_data, HubConfig.JournalFile))); // nothing in SQLite
        Assert.True(Host.Recovered.SnapshotSequenceNr > 0, Host.Recovered.ToString());
        Assert.Equal(before, Canonical(Host.Hub.State()));
        await payee.SettleInvoiceAsync(preimage);
        Assert.Equal(preimage, (await payment.WaitAsync(TimeSpan.FromSeconds(60))).Preimage);
        Assert.Equal(new LightningBalance(Opening + 9_000, 0, 0), await payee.GetBalanceAsync());
    }

    [Fact]
    public async Task A_hub_killed_with_kill_9_and_restarted_on_its_data_keeps_everything_it_answered()
    {
        var directory = Path.Combine(_data, "process");
        Directory.CreateDirectory(directory);
        await using var hub = await LightningHubProcess.StartAsync(directory);
        async Task<RemoteLightningNode> ConnectTo(string name)
        {
            var node = await RemoteLightningNode.ConnectAsync(new Uri(hub.Url), hub.Token, name, Opening, pollWait: TimeSpan.FromSeconds(1));
            _clients.Add(node);
            return node;
        }
        var payer = await ConnectTo("payer");
        var payee = await ConnectTo("payee");
        var (held, settled, open) = (Hash32.Random(), Hash32.Random(), Hash32.Random());
        var heldInvoice = await payee.AddHoldInvoiceAsync(held.Sha256(), 11_000, "", TimeSpan.FromMinutes(30), 40);
        var settledInvoice = await payee.AddHoldInvoiceAsync(settled.Sha256(), 12_000, "", TimeSpan.FromMinutes(30), 40);
        await payee.AddHoldInvoiceAsync(open.Sha256(), 13_000, "", TimeSpan.FromMinutes(30), 40);
        var heldPayment = payer.PayAsync(heldInvoice.PaymentRequest);
        var settledPayment = payer.PayAsync(settledInvoice.PaymentRequest);
        await hub.InvoiceAsync("payee", settled.Sha256(), InvoiceState.Accepted);
        await payee.SettleInvoiceAsync(settled); // answered: it must be there after the kill
        await hub.InvoiceAsync("payee", held.Sha256(), InvoiceState.Accepted);
        var before = await hub.StateAsync();

        await hub.Process.KillAsync();
        await hub.RestartAsync();

        Assert.Contains("recovered nodes=2 snapshot=0 replayed=", hub.Process.Output);
        Assert.Equal(Canonical(before), Canonical(await hub.StateAsync()));
        Assert.True((await settledPayment.WaitAsync(TimeSpan.FromSeconds(60))).Succeeded);
        Assert.False(heldPayment.IsCompleted);
        await payee.SettleInvoiceAsync(held);
        Assert.Equal(held, (await heldPayment.WaitAsync(TimeSpan.FromSeconds(60))).Preimage);
        var after = await hub.StateAsync();
        Assert.Equal("ok", after.Invariants);
        Assert.Equal((Opening - 23_000, Opening + 23_000), (after.Nodes.Single(n => n.Name == "payer").AvailableMsat, after.Nodes.Single(n => n.Name == "payee").AvailableMsat));
        Assert.Equal(0, await hub.Process.TerminateAsync());
    }

    private static Hash32 Preimage(InvoiceUpdate update, params Hash32[] preimages) => preimages.Single(p => p.Sha256() == update.PaymentHash);

    /// <summary>The state as JSON, invoices in a fixed order (and without one, if given): equal strings, equal hubs.</summary>
    private static string Canonical(HubState state, Hash32? except = null) =>
        JsonSerializer.Serialize(state with
        {
            Invoices = state.Invoices.Where(i => i.PaymentHash != except).OrderBy(i => i.Payee, StringComparer.Ordinal).ThenBy(i => i.PaymentHash.ToHex(), StringComparer.Ordinal).ToList(),
        }, HubJson.Options);

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_data, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
