using Microsoft.AspNetCore.Http;
using SweetGossip.Daemon.Hosting;
using SweetGossip.Lightning.Remote;

namespace SweetGossip.LightningHub;

/// <summary>
/// The hub's one door: a request without <c>Authorization: Bearer &lt;token&gt;</c> (the content of the hub's
/// <see cref="HubToken.FileName"/>) is answered 401 before its route runs or its body is read. The comparison takes
/// the same time wherever a wrong token differs.
/// </summary>
internal static class HubAuthentication
{
    private const string Scheme = "Bearer ";

    private static readonly HubError Refused = new(
        $"unauthorized: send the hub token in an Authorization: Bearer header (the token is the content of {HubToken.FileName} in the --data directory of the hub)");

    public static Func<HttpContext, RequestDelegate, Task> Require(string token) => (context, next) =>
    {
        var header = context.Request.Headers.Authorization;
        var presented = header.Count == 1 ? header[0].AsSpan() : default;
        if (presented.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && TokenFile.Matches(token, presented[Scheme.Length..].Trim()))
            return next(context);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return context.Response.WriteAsJsonAsync(Refused, HubJson.Options);
    };
}
