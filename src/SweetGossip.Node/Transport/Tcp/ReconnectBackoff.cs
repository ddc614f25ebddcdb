namespace SweetGossip.Node.Transport.Tcp;

/// <summary>
/// Exponential backoff for redialling one static peer: min, 2·min, 4·min … up to max, with ±20 % jitter
/// so nodes that lost the same peer do not all redial at the same instant. Reset once a link is up.
/// </summary>
internal sealed class ReconnectBackoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    public ReconnectBackoff(TimeSpan min, TimeSpan max) => (_min, _max, _next) = (min, max, min);

    public TimeSpan Next()
    {
        var delay = _next;
        _next = TimeSpan.FromTicks(Math.Min(_max.Ticks, _next.Ticks * 2));
        return delay * (0.8 + 0.4 * Random.Shared.NextDouble());
    }

    public void Reset()
    {
        _next = _min;
    }
}
