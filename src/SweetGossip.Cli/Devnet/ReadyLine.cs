namespace SweetGossip.Cli.Devnet;

/// <summary>
/// The one line `node run` and `ln hub` print once they serve, e.g.
/// <c>… INFO  sgossip  ready listen=127.0.0.1:40123 control=http://127.0.0.1:40124 … control-token=…/control.token</c>:
/// the devnet learns each process's OS-chosen ports from it.
/// </summary>
public static class ReadyLine
{
    public static bool IsNodeReady(string line) =>
        line.Contains(" ready listen=", StringComparison.Ordinal) && line.Contains(" control=", StringComparison.Ordinal);

    public static bool IsHubReady(string line) =>
        line.Contains(" ready listen=", StringComparison.Ordinal) && line.Contains(" token-file=", StringComparison.Ordinal);

    /// <summary>The value of <c>key=value</c> in the line (an address: it holds no space).</summary>
    /// <exception cref="CliException">The line has no such field: the process printed a ready line of another shape.</exception>
    public static string Field(string line, string key) =>
        line.Split(' ').FirstOrDefault(part => part.StartsWith(key + "=", StringComparison.Ordinal)) is { } part
            ? part[(key.Length + 1)..]
            : throw new CliException($"a ready line without {key}=: {line}");

    /// <summary>
    /// Everything after <c>key=</c> up to the next field the line may carry after it (a member's <c>hub-member=</c>):
    /// a path, which may hold spaces.
    /// </summary>
    public static string Rest(string line, string key)
    {
        var at = line.LastIndexOf($" {key}=", StringComparison.Ordinal);
        if (at < 0) throw new CliException($"a ready line without {key}=: {line}");
        var rest = line[(at + key.Length + 2)..];
        var member = rest.LastIndexOf(" hub-member=", StringComparison.Ordinal);
        return (member >= 0 ? rest[..member] : rest).TrimEnd();
    }
}
