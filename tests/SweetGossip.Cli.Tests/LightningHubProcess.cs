using System.Net.Http.Json;
using SweetGossip.Lightning.Port;
using SweetGossip.Lightning.Remote;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cli.Tests;

/// <summary>`sgossip ln hub --listen 127.0.0.1:0` as a child process, and a client reading its state.</summary>
public sealed class LightningHubProcess : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;

    private LightningHubProcess(NodeProcessHandle process, string url)
    {
        (Process, Url) = (process, url);
        _http = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    public NodeProcessHandle Process { get; }

    /// <summary>The hub's base URL, as nodes are configured with it.</summary>
    public string Url { get; }

    public static async Task<LightningHubProcess> StartAsync(string directory)
    {
        var process = NodeProcessHandle.StartCommand("hub", directory, "ln", "hub", "--listen", "127.0.0.1:0", "--data", Path.Combine(directory, "hub"));
        var ready = await process.LineAsync(l => l.Contains(" ready listen=", StringComparison.Ordinal), "its ready line");
        var url = ready.Split(' ').Single(p => p.StartsWith("listen=", StringComparison.Ordinal))["listen=".Length..];
        return new LightningHubProcess(process, url);
    }

    public async Task<HubState> StateAsync() => (await _http.GetFromJsonAsync<HubState>("state", HubJson.Options))!;

    /// <summary>Waits (long-polling the hub's update log of <paramref name="node"/>) until its invoice under <paramref name="hash"/> reaches <paramref name="state"/>.</summary>
    public async Task<InvoiceUpdate> InvoiceAsync(string node, Hash32 hash, InvoiceState state)
    {
        using var deadline = new CancellationTokenSource(Patience);
        ulong after = 0;
        try
        {
            while (true)
            {
                var view = (await _http.GetFromJsonAsync<HubUpdatesView>($"nodes/{node}/invoices/updates?after={after}&wait=10", HubJson.Options, deadline.Token))!;
                foreach (var update in view.Updates)
                {
                    if (update.PaymentHash == hash && update.State == state) return update;
                    after = Math.Max(after, update.Sequence);
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"{node}'s invoice {hash} never became {state}; hub output:\n{Process.Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await Process.DisposeAsync();
    }
}
