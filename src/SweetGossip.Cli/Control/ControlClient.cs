using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SweetGossip.Daemon.Control;
using SweetGossip.Daemon.Hosting;

namespace SweetGossip.Cli.Control;

/// <summary>Which running node a command talks to: its control URL, and the token file if one was named (<c>--control-token-file</c>).</summary>
public sealed record ControlTarget(string Url, string? TokenFile = null);

/// <summary>
/// The CLI's side of the control endpoint: every failure becomes one <see cref="CliException"/> line. The bearer
/// token comes from, in this order: the token file the command was given, <see cref="TokenVariable"/>, the token
/// file of the node that announced itself on that port (<see cref="RunningNodes"/>).
/// </summary>
internal static class ControlClient
{
    public const string DefaultUrl = "http://127.0.0.1:9736";

    /// <summary>The token itself (64 hex digits), for scripts and containers that pass it in the environment.</summary>
    public const string TokenVariable = "SGOSSIP_CONTROL_TOKEN";

    /// <summary>How long a request may take, unless the call says otherwise.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public static Task<T> GetAsync<T>(ControlTarget target, string path, CancellationToken ct) =>
        SendAsync<T>(target, HttpMethod.Get, path, null, DefaultTimeout, ct);

    /// <param name="timeout">Default <see cref="DefaultTimeout"/>; a payment waits for its final state, which a held HTLC can delay.</param>
    public static Task<T> PostAsync<T>(ControlTarget target, string path, object body, CancellationToken ct, TimeSpan? timeout = null) =>
        SendAsync<T>(target, HttpMethod.Post, path, body, timeout ?? DefaultTimeout, ct);

    private static async Task<T> SendAsync<T>(ControlTarget target, HttpMethod method, string path, object? body, TimeSpan timeout, CancellationToken ct)
    {
        var baseUrl = target.Url;
        if (!Uri.TryCreate(baseUrl.TrimEnd('/') + path, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new CliException($"--control: '{baseUrl}' is not an http URL (e.g. {DefaultUrl})");
        var (token, source) = Credentials(target, url);
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = JsonContent.Create(body, options: CliContext.ReadOptions);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        HttpResponseMessage response;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            response = await Http.SendAsync(request, deadline.Token);
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
            if (response.StatusCode == HttpStatusCode.Unauthorized)
                throw new CliException(token is null
                    ? $"the node at {baseUrl} wants its control token and none was found for it: give --control-token-file <the node's data directory>/{ControlToken.FileName} or set {TokenVariable}"
                    : $"the node at {baseUrl} refused the control token from {source} (401): is it that node's {ControlToken.FileName}?");
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

    /// <summary>The token to send and where it came from; none if nothing names one (the node then answers 401, which says so).</summary>
    private static (string? Token, string? Source) Credentials(ControlTarget target, Uri url)
    {
        if (target.TokenFile is { } named)
        {
            try
            {
                return (ControlToken.Read(named), named);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                throw new CliException($"--control-token-file: {e.Message}");
            }
        }
        if (Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } value)
        {
            var token = value.Trim();
            return TokenFile.IsWellFormed(token)
                ? (token.ToLowerInvariant(), TokenVariable)
                : throw new CliException($"{TokenVariable}: not a control token (64 hex digits)");
        }
        if (RunningNodes.TokenFileFor(url) is { } announced)
        {
            try
            {
                return (ControlToken.Read(announced), announced);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                // A note left by a node whose data directory is gone: as if there were none.
            }
        }
        return (null, null);
    }
}
