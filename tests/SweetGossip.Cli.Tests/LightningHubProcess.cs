using System.Net.Http.Json;
using SweetGossip.Lightning.Port;
using SweetGossip.Lightning.Remote;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cli.Tests;

/// <summary>
/// `sgossip ln hub --listen 127.0.0.1:0 --data DIR/hub` as a child process, and a client (with its token) reading its
/// state. <see cref="RestartAsync"/> starts it again on the same data and port, as an operator would after a crash.
/// </summary>
public sealed class LightningHubProcess : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;
    private readonly string _directory;
    private readonly string[] _extra;

    private LightningHubProcess(NodeProcessHandle process, string url, string directory, string[] extra)
    {
        (Process, Url, _directory, _extra) = (process, url, directory, extra);
        TokenFile = Path.Combine(DataDirectory, HubToken.FileName);
        Token = HubToken.Read(TokenFile);
        _http = new HttpClient { BaseAddress = new Uri(url.TrimEnd('/') + "/"), Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token);
    }

    public NodeProcessHandle Process { get; private set; }

    /// <summary>The hub's base URL, as nodes are configured with it.</summary>
    public string Url { get; }

    public string DataDirectory => Path.Combine(_directory, "hub");

    /// <summary>The token file the hub wrote at its first start (nodes' hub-token-file).</summary>
    public string TokenFile { get; }

    public string Token { get; }

    /// <param name="extra">More arguments for `ln hub`, e.g. --config.</param>
    public static async Task<LightningHubProcess> StartAsync(string directory, params string[] extra)
    {
        var (process, url) = await LaunchAsync(directory, "127.0.0.1:0", extra);
        return new LightningHubProcess(process, url, directory, extra);
    }

    /// <summary>Starts the hub again (after <see cref="NodeProcessHandle.KillAsync"/> or a stop) on the same data directory and port.</summary>
    public async Task RestartAsync()
    {
        Assert.True(Process.HasExited, "the hub is still running");
        var (process, url) = await LaunchAsync(_directory, new Uri(Url).Authority, _extra);
        Assert.Equal(Url, url);
        await Process.DisposeAsync();
        Process = process;
    }

    private static async Task<(NodeProcessHandle, string)> LaunchAsync(string directory, string listen, string[] extra)
    {
        var process = NodeProcessHandle.StartCommand("hub", directory, ["ln", "hub", "--listen", listen, "--data", Path.Combine(directory, "hub"), .. extra]);
        var ready = await process.LineAsync(l => l.Contains(" ready listen=", StringComparison.Ordinal), "its ready line");
        return (process, ready.Split(' ').Single(p => p.StartsWith("listen=", StringComparison.Ordinal))["listen=".Length..]);
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
