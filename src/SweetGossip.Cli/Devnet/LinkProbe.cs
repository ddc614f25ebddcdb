using System.Net.Http.Headers;
using System.Text.Json;

namespace SweetGossip.Cli.Devnet;

/// <summary>
/// Asks a running node's control endpoint (`GET /status`, with its token, over plain HTTP as any client would) how
/// many peers it is linked with, until the count `devnet up` expects: then a topic originated right away reaches
/// every node.
/// </summary>
public static class LinkProbe
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <exception cref="CliException">Not linked to <paramref name="links"/> peers by <paramref name="deadline"/>, or the node is gone.</exception>
    public static async Task WaitForLinksAsync(DevnetProcess node, int links, DateTimeOffset deadline, CancellationToken cancel)
    {
        var token = (await File.ReadAllTextAsync(node.ControlTokenFile!, cancel)).Trim();
        var seen = -1;
        while (true)
        {
            if (!node.Handle.IsRunning)
                throw new CliException($"{node.Name} exited while its links came up; see {node.Log}");
            seen = await PeersAsync(node.Control!, token, cancel) ?? seen;
            if (seen >= links) return;
            if (DateTimeOffset.UtcNow > deadline)
                throw new CliException($"{node.Name} has {Math.Max(seen, 0)} of its {links} links after the wait; see {node.Log}");
            await Task.Delay(PollInterval, cancel);
        }
    }

    /// <summary>The node's peer count, or null when it did not answer this time (busy at start-up).</summary>
    private static async Task<int?> PeersAsync(string control, string token, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, control.TrimEnd('/') + "/status");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await Http.SendAsync(request, cancel);
            if (!response.IsSuccessStatusCode) return null;
            using var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancel));
            return status.RootElement.TryGetProperty("peers", out var peers) && peers.TryGetInt32(out var count) ? count : null;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException || (e is TaskCanceledException && !cancel.IsCancellationRequested))
        {
            return null;
        }
    }
}
