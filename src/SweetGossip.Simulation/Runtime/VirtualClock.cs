namespace SweetGossip.Simulation.Runtime;

/// <summary>The nodes' <see cref="TimeProvider"/> in a simulation: the virtual scheduler's clock.</summary>
public sealed class VirtualClock(VirtualTimeScheduler scheduler) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => scheduler.Now;

    public override long GetTimestamp() => scheduler.Elapsed.Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
}
