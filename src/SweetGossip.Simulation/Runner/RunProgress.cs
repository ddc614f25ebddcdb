namespace SweetGossip.Simulation.Runner;

/// <summary>
/// What a run reports while it advances, shared by the one-thread and the partitioned runner: progress about every
/// 0.5 % of simulated time (and a check for cancellation at every step), and the highest working set seen.
/// </summary>
internal sealed class RunProgress(TimeSpan total, IProgress<SimulationProgress>? progress, CancellationToken cancel)
{
    private readonly TimeSpan _every = TimeSpan.FromTicks(Math.Max(1, total.Ticks / 200));
    private TimeSpan _next = TimeSpan.Zero;

    public long PeakWorkingSet { get; private set; } = Environment.WorkingSet;

    /// <summary>Called by the engine as simulated time reaches <paramref name="elapsed"/>, <paramref name="executed"/> work items so far.</summary>
    public void At(TimeSpan elapsed, long executed)
    {
        cancel.ThrowIfCancellationRequested();
        if (elapsed < _next) return;
        _next = elapsed + _every;
        PeakWorkingSet = Math.Max(PeakWorkingSet, Environment.WorkingSet);
        progress?.Report(new SimulationProgress(SimulationPhase.Running, Math.Min(elapsed.TotalSeconds, total.TotalSeconds), total.TotalSeconds, executed));
    }

    /// <summary>The run reached its end.</summary>
    public void Done(long executed)
    {
        progress?.Report(new SimulationProgress(SimulationPhase.Running, total.TotalSeconds, total.TotalSeconds, executed));
        PeakWorkingSet = Math.Max(PeakWorkingSet, Environment.WorkingSet);
    }
}
