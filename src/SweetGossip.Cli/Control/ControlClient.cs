using System.Net.Http.Json;
using System.Text.Json;

namespace SweetGossip.Cli.Control;

/// <summary>The CLI's side of the control endpoint: every failure becomes one <see cref="CliException"/> line.</summary>
internal static class ControlClient
{
    public const string DefaultUrl = "http://127.0.0.1:9736";

    /// <summary>How long a request may take, unless the call says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public static Task<T> GetAsync<T>(string baseUrl, string path, CancellationToken ct) =>
        SendAsync<T>(baseUrl, path, (url, token) => Http.GetAsync(url, token), DefaultTimeout, ct);

    /// <param name="timeout">Default <see cref="DefaultTimeout"/>; a payment waits for its final state, which a held HTLC can delay.</param>
    public static Task<T> PostAsync<T>(string baseUrl, string path, object body, CancellationToken ct, TimeSpan? timeout = null) =>
        SendAsync<T>(baseUrl, path, (url, token) => Http.PostAsJsonAsync(url, body, CliContext.ReadOptions, token), timeout ?? DefaultTimeout, ct);

    private static async Task<T> SendAsync<T>(string baseUrl, string path, Func<Uri, CancellationToken, Task<HttpResponseMessage>> send, TimeSpan timeout, CancellationToken ct)
    {
        if (!Uri.TryCreate(baseUrl.TrimEnd('/') + path, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new CliException($"--control: '{baseUrl}' is not an http URL (e.g. {DefaultUrl})");
        HttpResponseMessage response;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            response = await send(url, deadline.Token);
        }
        catch (HttpRequestException e)
        {
            throw new CliException($"cannot reach the node's control endpoint at {baseUrl}: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new CliException($"the node's control endpoint at {baseUrl} did not answer in time");
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(ct);
            try
            {
                if (!response.IsSuccessStatusCode)
                {
                    var error = JsonSerializer.Deserialize<ErrorView>(text, CliContext.ReadOptions)?.Error;
                    throw new CliException($"the node refused: {error ?? $"HTTP {(int)response.StatusCode}"}");
                }
                return JsonSerializer.Deserialize<T>(text, CliContext.ReadOptions)
                    ?? throw new CliException($"{url}: empty answer");
            }
            catch (JsonException)
            {
                throw new CliException($"{url}: answered HTTP {(int)response.StatusCode} with something that is not the control API's JSON");
            }
        }
    }
}
