using System.Net;
using System.Net.Http.Json;
using SweetGossip.LightningHub;
using SweetGossip.Lightning.Port;
using SweetGossip.Lightning.Remote;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cli.Tests;

/// <summary>
/// The contract of <see cref="RemoteLightningNode"/> against a real Lightning hub (Kestrel on 127.0.0.1, an
/// ephemeral port): the hold-invoice life cycle, refusals as the port's exceptions, balances, subscriptions,
/// and a payer that goes away mid-payment and comes back to learn how it ended.
/// </summary>
public sealed class LightningHubTests : IAsyncLifetime
{
    private const ulong Opening = 1_000_000_000;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly string _data = Path.Combine(Path.GetTempPath(), "sgossip-hub-tests", Guid.NewGuid().ToString("N"));
    private readonly List<RemoteLightningNode> _clients = [];
    private HubHost _server = null!;
    private string _token = "";

    public async Task InitializeAsync()
    {
        _server = await HubHost.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), _data, null, _ => { });
        _token = HubToken.Read(_server.TokenFile);
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients) client.Dispose();
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private async Task<RemoteLightningNode> Connect(string name, ulong opening = Opening, TimeSpan? pollWait = null)
    {
        var node = await RemoteLightningNode.ConnectAsync(new Uri(_server.Url), _token, name, opening, pollWait: pollWait ?? TimeSpan.FromSeconds(2));
        _clients.Add(node);
        return node;
    }

    [Fact]
    public async Task A_hold_invoice_is_paid_accepted_and_settled_and_the_payer_gets_the_preimage()
    {
        var payer = await Connect("payer");
        var payee = await Connect("payee");
        var preimage = Hash32.Random();
        var hash = preimage.Sha256();
        var updates = new InvoiceUpdates();
        using var all = payee.SubscribeInvoices(updates.Add);

        var invoice = await payee.AddHoldInvoiceAsync(hash, 25_000_000, "ride", TimeSpan.FromMinutes(30), 40);
        Assert.StartsWith("lnbcrt", invoice.PaymentRequest);
        Assert.Equal((hash, 25_000_000UL, 40, payee.NodeId), (invoice.PaymentHash, invoice.AmountMsat, invoice.CltvExpiryDelta, invoice.Payee));
        var decoded = await payer.DecodePaymentRequestAsync(invoice.PaymentRequest);
        Assert.Equal((payee.NodeId, hash, 25_000_000UL, "ride"), (decoded.Payee, decoded.PaymentHash, decoded.AmountMsat, decoded.Memo));
        Assert.Equal(InvoiceState.Open, (await payee.LookupInvoiceAsync(hash)).State);

        var payment = payer.PayAsync(invoice.PaymentRequest);
        await updates.Next(u => u.PaymentHash == hash && u.State == InvoiceState.Accepted);
        Assert.False(payment.IsCompleted); // held: nothing is final until the payee settles
        var accepted = await payee.LookupInvoiceAsync(hash);
        Assert.Equal(InvoiceState.Accepted, accepted.State);
        Assert.NotNull(accepted.HtlcExpiresAt);
        Assert.Equal(new LightningBalance(Opening - 25_000_000, 25_000_000, 0), await payer.GetBalanceAsync());
        Assert.Equal(new LightningBalance(Opening, 0, 25_000_000), await payee.GetBalanceAsync());

        await payee.SettleInvoiceAsync(preimage);
        var result = await payment.WaitAsync(Patience);
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(preimage, result.Preimage);
        Assert.Equal(new LightningBalance(Opening - 25_000_000, 0, 0), await payer.GetBalanceAsync());
        Assert.Equal(new LightningBalance(Opening + 25_000_000, 0, 0), await payee.GetBalanceAsync());
        var settled = await updates.Next(u => u.PaymentHash == hash && u.State == InvoiceState.Settled);
        Assert.Equal(preimage, settled.Invoice.Preimage);
        Assert.Equal([InvoiceState.Open, InvoiceState.Accepted, InvoiceState.Settled], updates.Of(hash));

        // Final is final: the same refusals and results as the embedded node's.
        Assert.Equal(preimage, (await payer.TrackPaymentAsync(hash))!.Preimage);
        Assert.Equal(LightningErrorCode.InvoiceAlreadySettled, (await Assert.ThrowsAsync<LightningException>(() => payee.SettleInvoiceAsync(preimage))).Code);
        Assert.Equal(LightningErrorCode.InvoiceAlreadySettled, (await Assert.ThrowsAsync<LightningException>(() => payee.CancelInvoiceAsync(hash))).Code);
        Assert.Equal(PaymentFailureReason.AlreadyPaid, (await payer.PayAsync(invoice.PaymentRequest)).FailureReason);
        var state = await Hub<HubState>("state");
        Assert.Equal("ok", state.Invariants);
        Assert.Equal(2 * Opening, state.TotalMsat);
        var recorded = Assert.Single(state.Invoices);
        Assert.Equal(("payee", "payer", InvoiceState.Settled), (recorded.Payee, recorded.Payer, recorded.State));
    }

    [Fact]
    public async Task A_cancelled_hold_fails_the_payment_and_refunds_the_payer()
    {
        var payer = await Connect("payer");
        var payee = await Connect("payee");
        var preimage = Hash32.Random();
        var hash = preimage.Sha256();
        var invoice = await payee.AddHoldInvoiceAsync(hash, 7_000, "", TimeSpan.FromMinutes(5), 18);
        var single = new InvoiceUpdates();
        using var one = payee.SubscribeSingleInvoice(hash, single.Add);
        Assert.Equal(InvoiceState.Open, (await single.Next(_ => true)).State); // its current state first, as LND

        var payment = payer.PayAsync(invoice.PaymentRequest);
        await single.Next(u => u.State == InvoiceState.Accepted);
        await payee.CancelInvoiceAsync(hash);
        var result = await payment.WaitAsync(Patience);

        Assert.False(result.Succeeded);
        Assert.Equal(PaymentFailureReason.PayeeCancelled, result.FailureReason);
        Assert.Equal(InvoiceCancelReason.CancelledByPayee, (await single.Next(u => u.State == InvoiceState.Cancelled)).Invoice.CancelReason);
        Assert.Equal(new LightningBalance(Opening, 0, 0), await payer.GetBalanceAsync());
        Assert.Equal(new LightningBalance(Opening, 0, 0), await payee.GetBalanceAsync());
        await payee.CancelInvoiceAsync(hash); // idempotent
        Assert.Equal(LightningErrorCode.InvoiceCancelled, (await Assert.ThrowsAsync<LightningException>(() => payee.SettleInvoiceAsync(preimage))).Code);
        Assert.Equal([InvoiceState.Open, InvoiceState.Accepted, InvoiceState.Cancelled], single.Of(hash));
    }

    [Fact]
    public async Task Refusals_come_back_as_the_ports_exceptions_and_failures_as_results()
    {
        var node = await Connect("alice", opening: 1_000);
        var other = await Connect("bob");
        var preimage = Hash32.Random();
        var invoice = await other.AddHoldInvoiceAsync(preimage.Sha256(), 5_000, "", TimeSpan.FromMinutes(5), 18);

        Assert.Equal(LightningErrorCode.DuplicatePaymentHash, (await Assert.ThrowsAsync<LightningException>(() => other.AddHoldInvoiceAsync(preimage.Sha256(), 1, "", TimeSpan.FromMinutes(5), 18))).Code);
        Assert.Equal(LightningErrorCode.InvalidArgument, (await Assert.ThrowsAsync<LightningException>(() => other.AddHoldInvoiceAsync(Hash32.Random(), 0, "", TimeSpan.FromMinutes(5), 18))).Code);
        Assert.Equal(LightningErrorCode.InvoiceNotFound, (await Assert.ThrowsAsync<LightningException>(() => other.LookupInvoiceAsync(Hash32.Random()))).Code);
        Assert.Equal(LightningErrorCode.InvoiceNotAccepted, (await Assert.ThrowsAsync<LightningException>(() => other.SettleInvoiceAsync(preimage))).Code);
        Assert.Equal(LightningErrorCode.NoInvoiceForPreimage, (await Assert.ThrowsAsync<LightningException>(() => other.SettleInvoiceAsync(Hash32.Random()))).Code);
        Assert.Equal(LightningErrorCode.InvalidPaymentRequest, (await Assert.ThrowsAsync<LightningException>(() => node.DecodePaymentRequestAsync("lnbcrt1garbage"))).Code);
        Assert.Equal(PaymentFailureReason.InsufficientBalance, (await node.PayAsync(invoice.PaymentRequest)).FailureReason);
        Assert.Equal(PaymentFailureReason.InvalidInvoice, (await node.PayAsync("lnbcrt1garbage")).FailureReason);
        Assert.Null(await node.TrackPaymentAsync(Hash32.Random()));
        Assert.Equal(InvoiceState.Open, (await other.LookupInvoiceAsync(preimage.Sha256())).State);
    }

    [Fact]
    public async Task A_name_registers_once_and_a_payer_that_went_away_learns_how_its_payment_ended()
    {
        var payee = await Connect("driver");
        var first = await Connect("rider", pollWait: TimeSpan.FromMilliseconds(200));
        var preimage = Hash32.Random();
        var invoice = await payee.AddHoldInvoiceAsync(preimage.Sha256(), 40_000, "", TimeSpan.FromMinutes(5), 18);
        var updates = new InvoiceUpdates();
        using var all = payee.SubscribeInvoices(updates.Add);

        // Several poll rounds (202 from the hub) while the payee holds; then the payer's process "dies".
        var payment = first.PayAsync(invoice.PaymentRequest);
        await updates.Next(u => u.State == InvoiceState.Accepted);
        first.Dispose();
        await payee.SettleInvoiceAsync(preimage);

        var again = await Connect("rider", opening: 5 * Opening);
        Assert.Equal(first.NodeId, again.NodeId);
        var tracked = await again.TrackPaymentAsync(preimage.Sha256());
        Assert.Equal(preimage, tracked!.Preimage);
        Assert.Equal(Opening - 40_000, (await again.GetBalanceAsync()).AvailableMsat); // registered once: no second opening balance
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => payment); // the old process stopped waiting; the payment went on

        using var http = Http();
        var registered = await (await http.PostAsJsonAsync("nodes", new HubRegisterRequest("rider", 1), HubJson.Options)).Content.ReadFromJsonAsync<HubNodeView>(HubJson.Options);
        Assert.False(registered!.Created);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("nodes/nobody/balance")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("nodes/rider/invoices/xyz")).StatusCode);
    }

    [Fact]
    public async Task The_cli_shows_the_hubs_state_and_a_hub_binds_loopback_unless_told_otherwise()
    {
        var payer = await Connect("payer");
        var payee = await Connect("payee");
        var preimage = Hash32.Random();
        var invoice = await payee.AddHoldInvoiceAsync(preimage.Sha256(), 3_000, "", TimeSpan.FromMinutes(5), 18);
        var single = new InvoiceUpdates();
        using var one = payee.SubscribeSingleInvoice(preimage.Sha256(), single.Add);
        var payment = payer.PayAsync(invoice.PaymentRequest);
        await single.Next(u => u.State == InvoiceState.Accepted);

        var (code, output, error) = Cli("ln", "hub-state", "--hub", _server.Url, "--token-file", _server.TokenFile);
        Assert.True(code == 0, error);
        Assert.Equal($"total {2 * Opening} msat (deposited {2 * Opening}), invariants ok", output.Split('\n')[0]);
        Assert.Contains($"payer  available {Opening - 3_000}  out-locked 3000  in-pending 0  (opened with {Opening})", output);
        Assert.Contains("invoices accepted: 1", output);
        await payee.SettleInvoiceAsync(preimage);
        Assert.True((await payment.WaitAsync(Patience)).Succeeded);
        (code, output, _) = Cli("ln", "hub-state", "--hub", _server.Url, "--token-file", _server.TokenFile, "--json");
        Assert.Equal(0, code);
        var state = System.Text.Json.JsonSerializer.Deserialize<HubState>(output, HubJson.Options)!;
        Assert.Equal([InvoiceState.Open, InvoiceState.Accepted, InvoiceState.Settled], Assert.Single(state.Invoices).History);

        (code, _, error) = Cli("ln", "hub", "--listen", "0.0.0.0:0", "--data", Path.Combine(_data, "elsewhere"));
        Assert.Equal(1, code);
        Assert.StartsWith("error: --listen: '0.0.0.0:0': the hub speaks plain HTTP", error);
        (code, _, error) = Cli("ln", "hub-state", "--hub", "http://127.0.0.1:1", "--token-file", _server.TokenFile);
        Assert.Equal(1, code);
        Assert.StartsWith("error: cannot reach the Lightning hub at http://127.0.0.1:1", error);
    }

    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private async Task<T> Hub<T>(string path)
    {
        using var http = Http();
        return (await http.GetFromJsonAsync<T>(path, HubJson.Options))!;
    }

    private HttpClient Http()
    {
        var http = new HttpClient { BaseAddress = new Uri(_server.Url) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _token);
        return http;
    }
}
