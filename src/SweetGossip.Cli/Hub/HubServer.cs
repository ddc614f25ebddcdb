using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SweetGossip.Lightning.Port;
using SweetGossip.Lightning.Remote;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cli.Hub;

/// <summary>
/// The HTTP face of <see cref="LightningHub"/> (Kestrel, minimal API, JSON as <see cref="HubJson"/>):
/// <code>
/// POST /nodes                               {name, opening_balance_msat} → the node (created or known)
/// GET  /nodes/{name}/balance                GetBalance
/// POST /nodes/{name}/invoices               AddHoldInvoice
/// GET  /nodes/{name}/invoices/{hash}        LookupInvoice
/// GET  /nodes/{name}/invoices/{hash}/last   the invoice's latest update (204 if none): SubscribeSingleInvoice's first delivery
/// GET  /nodes/{name}/invoices/updates?after=N&amp;wait=S   invoice updates after sequence N (long-poll)
/// POST /nodes/{name}/invoices/settle        {preimage}: SettleInvoice
/// POST /nodes/{name}/invoices/{hash}/cancel CancelInvoice
/// POST /nodes/{name}/payments               {payment_request, wait_seconds}: Pay; 200 final result, 202 still in flight
/// GET  /nodes/{name}/payments/{hash}?wait=S TrackPayment: 200 final, 202 in flight, 204 never made
/// POST /decode                              {payment_request}: DecodePaymentRequest
/// GET  /state                               every node's balance, every invoice with its history, the ledger's invariants
/// </code>
/// A refusal of the Lightning node is 409 <c>{error, code}</c> (code: <see cref="LightningErrorCode"/>); an unknown
/// name 404; bad input 400. No authentication: it binds loopback unless told otherwise.
/// </summary>
public sealed class HubServer : IAsyncDisposable
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    private readonly WebApplication _app;

    private HubServer(WebApplication app, string url) => (_app, Url) = (app, url);

    public string Url { get; }

    public static async Task<HubServer> StartAsync(IPEndPoint endPoint, LightningHub hub)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(endPoint));
        builder.Services.ConfigureHttpJsonOptions(json => HubJson.Configure(json.SerializerOptions));
        var app = builder.Build();

        app.MapPost("/nodes", (HubRegisterRequest request) => Guard(() => Results.Ok(hub.Register(request.Name, request.OpeningBalanceMsat))));
        app.MapGet("/state", () => Results.Ok(hub.State()));
        app.MapPost("/decode", (HubDecodeRequest request) => GuardAsync(async () =>
        {
            // Every node of the network decodes the same way; the first one answers.
            var any = hub.Network.Nodes.FirstOrDefault() ?? throw new LightningException(LightningErrorCode.InvalidPaymentRequest, "the hub has no node yet");
            return Results.Ok(await any.DecodePaymentRequestAsync(request.PaymentRequest ?? ""));
        }));

        var node = app.MapGroup("/nodes/{name}");
        node.MapGet("/balance", (string name) => GuardAsync(async () => Results.Ok(await hub.Get(name).Lightning.GetBalanceAsync())));
        node.MapPost("/invoices", (string name, HubAddInvoiceRequest request) => GuardAsync(async () =>
        {
            if (!double.IsFinite(request.ExpirySeconds) || request.ExpirySeconds <= 0 || request.ExpirySeconds > TimeSpan.MaxValue.TotalSeconds / 2)
                throw new LightningException(LightningErrorCode.InvalidArgument, $"expiry_seconds: {request.ExpirySeconds} is not a positive duration");
            var invoice = await hub.Get(name).Lightning.AddHoldInvoiceAsync(
                request.PaymentHash, request.AmountMsat, request.Memo ?? "", TimeSpan.FromSeconds(request.ExpirySeconds), request.CltvExpiryDelta);
            return Results.Ok(invoice);
        }));
        node.MapGet("/invoices/updates", (string name, ulong? after, double? wait, CancellationToken ct) => GuardAsync(async () =>
            Results.Ok(new HubUpdatesView(await hub.Get(name).UpdatesAfterAsync(after ?? 0, Wait(wait), ct)))));
        node.MapPost("/invoices/settle", (string name, HubSettleRequest request) => GuardAsync(async () =>
        {
            await hub.Get(name).Lightning.SettleInvoiceAsync(request.Preimage);
            return Results.NoContent();
        }));
        node.MapGet("/invoices/{hash}", (string name, string hash) => GuardAsync(async () =>
            Results.Ok(await hub.Get(name).Lightning.LookupInvoiceAsync(Hash(hash)))));
        node.MapGet("/invoices/{hash}/last", (string name, string hash) => Guard(() =>
            hub.Get(name).Last(Hash(hash)) is { } last ? Results.Ok(last) : Results.NoContent()));
        node.MapPost("/invoices/{hash}/cancel", (string name, string hash) => GuardAsync(async () =>
        {
            await hub.Get(name).Lightning.CancelInvoiceAsync(Hash(hash));
            return Results.NoContent();
        }));
        node.MapPost("/payments", (string name, HubPayRequest request) => GuardAsync(async () =>
        {
            if (string.IsNullOrWhiteSpace(request.PaymentRequest))
                throw new LightningException(LightningErrorCode.InvalidArgument, "payment_request: required");
            var payer = hub.Get(name);
            var payment = hub.Pay(payer, request.PaymentRequest);
            // The payment goes on in the hub whether or not this request is still there to see it end.
            if (await Finished(payment, Wait(request.WaitSeconds)) is { } result) return Results.Ok(result);
            var hash = (await payer.Lightning.DecodePaymentRequestAsync(request.PaymentRequest)).PaymentHash;
            return Results.Accepted($"/nodes/{name}/payments/{hash.ToHex()}", new HubPaymentPending(hash));
        }));
        node.MapGet("/payments/{hash}", (string name, string hash, double? wait) => GuardAsync(async () =>
        {
            var tracked = hub.Get(name).Lightning.TrackPaymentAsync(Hash(hash));
            try
            {
                return await tracked.WaitAsync(Wait(wait)) is { } result ? Results.Ok(result) : Results.NoContent();
            }
            catch (TimeoutException)
            {
                return Results.Accepted();
            }
        }));

        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        return new HubServer(app, addresses?.Addresses.FirstOrDefault() ?? $"http://{endPoint}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static TimeSpan Wait(double? seconds) =>
        seconds is { } s && double.IsFinite(s) && s > 0 ? TimeSpan.FromSeconds(Math.Min(s, MaxWait.TotalSeconds)) : TimeSpan.Zero;

    /// <summary>The payment's final result if it comes within <paramref name="wait"/>; null otherwise.</summary>
    private static async Task<PaymentResult?> Finished(Task<PaymentResult> task, TimeSpan wait)
    {
        try
        {
            return await task.WaitAsync(wait);
        }
        catch (TimeoutException)
        {
            return default;
        }
    }

    private static Hash32 Hash(string hex) =>
        hex.Length == 2 * Hash32.Length && hex.All(Uri.IsHexDigit)
            ? Hash32.FromHex(hex)
            : throw new BadHubRequestException($"'{hex}' is not a payment hash (64 hex digits)");

    private static IResult Guard(Func<IResult> call)
    {
        try
        {
            return call();
        }
        catch (Exception e) when (Refusal(e) is { } refusal)
        {
            return refusal;
        }
    }

    private static async Task<IResult> GuardAsync(Func<Task<IResult>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (Refusal(e) is { } refusal)
        {
            return refusal;
        }
    }

    private static IResult? Refusal(Exception e) => e switch
    {
        LightningException l => Results.Json(new HubError(l.Message, l.Code.ToString()), HubJson.Options, statusCode: StatusCodes.Status409Conflict),
        KeyNotFoundException k => Results.Json(new HubError(k.Message), HubJson.Options, statusCode: StatusCodes.Status404NotFound),
        BadHubRequestException or ArgumentException => Results.Json(new HubError(e.Message), HubJson.Options, statusCode: StatusCodes.Status400BadRequest),
        _ => null,
    };

    private sealed class BadHubRequestException(string message) : Exception(message);
}
