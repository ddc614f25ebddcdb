namespace SweetGossip.Protocol.Gossip;

/// <summary>A token bucket per peer: <c>burst</c> frames at once, refilled at <c>perSecond</c>. Pure; time is passed in.</summary>
public sealed class RateLimiter(double perSecond, double burst, DateTimeOffset start)
{
    private readonly double _burst = burst;
    private double _tokens = burst;
    private DateTimeOffset _at = start;

    public bool TryTake(DateTimeOffset now)
    {
        var elapsed = (now - _at).TotalSeconds;
        if (elapsed > 0)
        {
            _tokens = Math.Min(_burst, _tokens + elapsed * perSecond);
            _at = now;
        }
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}
