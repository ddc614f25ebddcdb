namespace SweetGossip.Protocol.Primitives;

/// <summary>Times travel as whole unix seconds; everything in memory is truncated the same way so round trips are exact.</summary>
public static class UnixTime
{
    public static DateTimeOffset FromSeconds(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds);

    public static long ToSeconds(DateTimeOffset time) => time.ToUnixTimeSeconds();

    public static DateTimeOffset Truncate(DateTimeOffset time) => FromSeconds(time.ToUnixTimeSeconds());
}
