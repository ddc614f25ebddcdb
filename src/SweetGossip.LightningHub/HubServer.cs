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

namespace SweetGossip.LightningHub;

/// <summary>
/// The HTTP face of <see cref="LightningHub"/> (Kestrel, minimal API, JSON as <see cref="HubJson"/>):
/// <code>
/// POST /nodes                               {name, opening_balance_msat} → the node (created or known)
/// GET  /nodes/{name}/balance                GetBalance
/// POST /nodes/{name}/invoices               AddHoldInvoice
/// GET  /nodes/{name}/invoices/{hash}        LookupInvoice
/// GET  /nodes/{name}/invoices/{hash}/last   the invoice's latest update (204 if none): SubscribeSingleInvoice's first delivery
/// GET  /nodes/{name}/invoices/updates?after=N&amp;wait=S   invoice updates after sequence N (long-poll; truncated: current states)
/// POST /nodes/{name}/invoices/settle        {preimage}: SettleInvoice
/// POST /nodes/{name}/invoices/{hash}/cancel CancelInvoice
/// POST /nodes/{name}/payments               {payment_request, wait_seconds}: Pay; 200 final result, 202 still in flight
/// GET  /nodes/{name}/payments/{hash}?wait=S TrackPayment: 200 final, 202 in flight, 204 never made
/// POST /decode                              {payment_request}: DecodePaymentRequest
/// GET  /state                               every node's balance, every invoice with its history, the ledger's invariants
/// </code>
/// Every request carries <c>Authorization: Bearer &lt;token&gt;</c> (401 otherwise, before anything is read). A change is
/// answered once it is journaled. A refusal of the Lightning node is 409 <c>{error, code}</c> (code:
/// <see cref="LightningErrorCode"/>); an unknown name 404; bad input 400; a journal that cannot take the change 503.
/// </summary>
public sealed class HubServer : IAsyncDisposable
{
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    /// <summary>Largest request body: the biggest legitimate one is an invoice with a 639-byte memo.</summary>
    private const long MaxRequestBytes = 64 * 1024;

    /// <summary>Longest payment request accepted (BOLT 11 strings of this hub are well under 2,000 characters).</summary>
    private const int MaxPaymentRequestLength = 8 * 1024;

    private readonly WebApplication _app;

    private HubServer(WebApplication app, string url) => (_app, Url) = (app, url);

    public string Url { get; }

    public static async Task<HubServer> StartAsync(IPEndPoint endPoint, LightningHub hub, string token)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(endPoint);
            kestrel.Limits.MaxRequestBodySize = MaxRequestBytes;
        });
        builder.Services.ConfigureHttpJsonOptions(json => HubJson.Configure(json.SerializerOptions));
        var app = builder.Build();
        app.Use(HubAuthentication.Require(token));

        app.MapPost("/nodes", (HubRegisterRequest request) => GuardAsync(async () => Results.Ok(await hub.RegisterAsync(request.Name, request.OpeningBalanceMsat))));
        app.MapGet("/state", () => Results.Ok(hub.State()));
        app.MapPost("/decode", (HubDecodeRequest request) => GuardAsync(async () => Results.Ok(await hub.DecodeAsync(PaymentRequest(request.PaymentRequest)))));

        var node = app.MapGroup("/nodes/{name}");
        node.MapGet("/balance", (string name) => Guard(() => Results.Ok(hub.Balance(name))));
        node.MapPost("/invoices", (string name, HubAddInvoiceRequest request) => GuardAsync(async () =>
        {
            if (!double.IsFinite(request.ExpirySeconds) || request.ExpirySeconds <= 0 || request.ExpirySeconds > TimeSpan.MaxValue.TotalSeconds / 2)
                throw new LightningException(LightningErrorCode.InvalidArgument, $"expiry_seconds: {request.ExpirySeconds} is not a positive duration");
            if (request.Memo is { Length: > MaxPaymentRequestLength })
                throw new LightningException(LightningErrorCode.InvalidArgument, "memo: too long");
            var invoice = await hub.AddInvoiceAsync(name, request.PaymentHash, request.AmountMsat, request.Memo ?? "", TimeSpan.FromSeconds(request.ExpirySeconds), request.CltvExpiryDelta);
            return Results.Ok(invoice);
        }));
        node.MapGet("/invoices/updates", (string name, ulong? after, double? wait, CancellationToken ct) => GuardAsync(async () =>
            Results.Ok(await hub.UpdatesAsync(name, after ?? 0, Wait(wait), ct))));
        node.MapPost("/invoices/settle", (string name, HubSettleRequest request) => GuardAsync(async () =>
        {
            await hub.SettleAsync(name, request.Preimage);
            return Results.NoContent();
        }));
        node.MapGet("/invoices/{hash}", (string name, string hash) => Guard(() => Results.Ok(hub.Lookup(name, Hash(hash)))));
        node.MapGet("/invoices/{hash}/last", (string name, string hash) => Guard(() =>
            hub.Last(name, Hash(hash)) is { } last ? Results.Ok(last) : Results.NoContent()));
        node.MapPost("/invoices/{hash}/cancel", (string name, string hash) => GuardAsync(async () =>
        {
            await hub.CancelAsync(name, Hash(hash));
            return Results.NoContent();
        }));
        node.MapPost("/payments", (string name, HubPayRequest request) => GuardAsync(async () =>
        {
            var paymentRequest = PaymentRequest(request.PaymentRequest);
            // Journaled before this answers; it goes on in the hub whether or not this request is still there to see it end.
            var payment = await hub.PayAsync(name, paymentRequest);
            if (await Finished(payment, Wait(request.WaitSeconds)) is { } result) return Results.Ok(result);
            var hash = (await hub.DecodeAsync(paymentRequest)).PaymentHash;
            return Results.Accepted($"/nodes/{Uri.EscapeDataString(name)}/payments/{hash.ToHex()}", new HubPaymentPending(hash));
        }));
        node.MapGet("/payments/{hash}", (string name, string hash, double? wait) => GuardAsync(async () =>
        {
            var tracked = hub.TrackAsync(name, Hash(hash));
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

    private static string PaymentRequest(string? text) =>
        string.IsNullOrWhiteSpace(text) ? throw new LightningException(LightningErrorCode.InvalidArgument, "payment_request: required")
        : text.Length > MaxPaymentRequestLength ? throw new LightningException(LightningErrorCode.InvalidArgument, $"payment_request: longer than {MaxPaymentRequestLength} characters")
        : text;

    private static Hash32 Hash(string hex) =>
        hex.Length == 2 * Hash32.Length && hex.All(Uri.IsHexDigit)
            ? Hash32.FromHex(hex)
            : throw new BadHubRequestException($"'{(hex.Length > 80 ? hex[..80] + "…" : hex)}' is not a payment hash (64 hex digits)");

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
        HubUnavailableException => Results.Json(new HubError(e.Message), HubJson.Options, statusCode: StatusCodes.Status503ServiceUnavailable),
        _ => null,
    };

    private sealed class BadHubRequestException(string message) : Exception(message);
}
