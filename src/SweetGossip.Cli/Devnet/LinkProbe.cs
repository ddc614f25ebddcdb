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

    /// <summary>Waits until <paramref name="holders"/> (one node, or the members of one relay hub) hold <paramref name="links"/> links between them.</summary>
    /// <exception cref="CliException">Not linked to <paramref name="links"/> peers by <paramref name="deadline"/>, or a process is gone.</exception>
    public static async Task WaitForLinksAsync(IReadOnlyList<DevnetProcess> holders, int links, DateTimeOffset deadline, CancellationToken cancel)
    {
        var tokens = new List<string>();
        foreach (var node in holders) tokens.Add((await File.ReadAllTextAsync(node.ControlTokenFile!, cancel)).Trim());
        var seen = new int[holders.Count];
        while (true)
        {
            for (var i = 0; i < holders.Count; i++)
            {
                if (!holders[i].Handle.IsRunning)
                    throw new CliException($"{holders[i].Name} exited while its links came up; see {holders[i].Log}");
                seen[i] = await PeersAsync(holders[i].Control!, tokens[i], cancel) ?? seen[i];
            }
            if (seen.Sum() >= links) return;
            if (DateTimeOffset.UtcNow > deadline)
            {
                var who = holders.Count == 1 ? holders[0].Name : $"{string.Join(", ", holders.Select(h => h.Name))} (one hub) together";
                throw new CliException($"{who} {(holders.Count == 1 ? "has" : "have")} {seen.Sum()} of {(holders.Count == 1 ? "its" : "their")} {links} links after the wait; see {string.Join(", ", holders.Select(h => h.Log))}");
            }
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
