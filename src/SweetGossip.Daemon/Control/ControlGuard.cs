using Microsoft.AspNetCore.Http;
using SweetGossip.Daemon.Hosting;

namespace SweetGossip.Daemon.Control;

/// <summary>
/// The control endpoint's door, in front of every route and before any body is read. A request is answered
/// <list type="bullet">
/// <item>421 if its Host is not a loopback name (a DNS-rebinding page's request carries the page's own domain),</item>
/// <item>403 if it has an Origin that is not loopback (a browser sending on behalf of some site),</item>
/// <item>401 unless it carries <c>Authorization: Bearer &lt;token&gt;</c>, the content of the node's
/// <see cref="ControlToken.FileName"/> (compared in time that does not depend on where a wrong token differs).</item>
/// </list>
/// Each refusal is a JSON <see cref="ErrorView"/> saying what was wrong.
/// </summary>
public static class ControlGuard
{
    private const string Scheme = "Bearer ";

    public static readonly ErrorView ForeignHost = new(
        "misdirected: the control endpoint answers only requests addressed to localhost, 127.0.0.1 or [::1] (Host header)");

    public static readonly ErrorView ForeignOrigin = new(
        "forbidden: the control endpoint does not answer requests a browser sends on behalf of a web page (Origin header)");

    public static readonly ErrorView Unauthorized = new(
        $"unauthorized: send the node's control token in an Authorization: Bearer header (the token is the content of {ControlToken.FileName} in the node's data directory)");

    public static Func<HttpContext, RequestDelegate, Task> Require(string token) => (context, next) =>
    {
        var request = context.Request;
        var host = request.Headers.Host;
        if (host.Count != 1 || !LoopbackNames.IsLoopbackHost(host[0]))
            return Refuse(context, StatusCodes.Status421MisdirectedRequest, ForeignHost);
        var origin = request.Headers.Origin;
        if (origin.Count > 1 || (origin.Count == 1 && !LoopbackNames.IsLoopbackOrigin(origin[0])))
            return Refuse(context, StatusCodes.Status403Forbidden, ForeignOrigin);
        var header = request.Headers.Authorization;
        var presented = header.Count == 1 ? header[0].AsSpan() : default;
        if (presented.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && TokenFile.Matches(token, presented[Scheme.Length..].Trim()))
            return next(context);
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Refuse(context, StatusCodes.Status401Unauthorized, Unauthorized);
    };

    private static Task Refuse(HttpContext context, int status, ErrorView error)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(error); // with the endpoint's JSON options (snake_case)
    }
}
