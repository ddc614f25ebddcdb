using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SweetGossip.Daemon.Control;

/// <summary>
/// The HTTP face of <see cref="ControlApi"/> (Kestrel, minimal API): <c>GET /status</c>,
/// <c>POST /topics/taxi</c>, <c>GET /replies</c>, <c>POST /ln/invoices</c>, <c>POST /ln/payments</c>. It binds a
/// loopback address only (the config loader refuses anything else), and every request passes
/// <see cref="ControlGuard"/> first: a loopback Host, no foreign Origin, the node's bearer token.
/// </summary>
public sealed class ControlServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ControlServer(WebApplication app, string url) => (_app, Url) = (app, url);

    /// <summary>The base URL it answers at, with the real port when port 0 was asked for.</summary>
    public string Url { get; }

    /// <param name="token">The bearer token every request must carry (<see cref="ControlToken"/>).</param>
    public static async Task<ControlServer> StartAsync(IPEndPoint endPoint, ControlApi api, string token)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders(); // the node logs; Kestrel's own chatter is not wanted on its stdout
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(endPoint));
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        var app = builder.Build();
        app.Use(ControlGuard.Require(token));
        app.MapGet("/status", async () => Results.Ok(await api.StatusAsync()));
        app.MapPost("/topics/taxi", async (TaxiTopicRequest request) =>
        {
            try
            {
                var topic = await api.BroadcastTaxiAsync(request);
                return Results.Created($"/topics/{topic.PayloadId}", topic);
            }
            catch (ControlRequestException e)
            {
                return Results.BadRequest(new ErrorView(e.Message));
            }
        });
        app.MapGet("/replies", async () => Results.Ok(await api.RepliesAsync()));
        app.MapPost("/ln/invoices", async (LnInvoiceRequest request) => await Guarded(() => api.InvoiceAsync(request)));
        app.MapPost("/ln/payments", async (LnPayRequest request) => await Guarded(() => api.PayAsync(request)));
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        return new ControlServer(app, addresses?.Addresses.FirstOrDefault() ?? $"http://{endPoint}");
    }

    /// <summary>A request the API refuses is a 400 with the reason, not a 500.</summary>
    private static async Task<IResult> Guarded<T>(Func<Task<T>> call)
    {
        try
        {
            return Results.Ok(await call());
        }
        catch (ControlRequestException e)
        {
            return Results.BadRequest(new ErrorView(e.Message));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
