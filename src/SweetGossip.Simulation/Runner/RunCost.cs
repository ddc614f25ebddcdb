using System.Diagnostics;
using System.Runtime;

namespace SweetGossip.Simulation.Runner;

/// <summary>
/// What the running phase cost the process in CPU and garbage collection (run.json → <c>statistics.cost</c>): the
/// measure of a run on a shared machine, where wall time says more about the other load than about the run.
/// </summary>
/// <param name="ProcessorTime">CPU time of the whole process (all threads, GC included).</param>
/// <param name="GcPause">Time the runtime held every managed thread for a collection: serial for the run's threads.</param>
/// <param name="Collections">Collections of generation 0 or older (every collection).</param>
/// <param name="Gen2Collections">Of those, full collections.</param>
/// <param name="ServerGc">Whether the process ran the server collector (DOTNET_gcServer=1).</param>
/// <param name="AllocatedBytes">Bytes allocated on the managed heap by all threads: what the collector had to clean up.</param>
public sealed record RunCost(TimeSpan ProcessorTime, TimeSpan GcPause, int Collections, int Gen2Collections, bool ServerGc, long AllocatedBytes = 0)
{
    /// <summary>Takes the counters now; the returned function gives what was spent since.</summary>
    public static Func<RunCost> Since()
    {
        using var process = Process.GetCurrentProcess();
        var (cpu, pause, all, full) = (process.TotalProcessorTime, GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(2));
        var allocated = GC.GetTotalAllocatedBytes(precise: false);
        return () =>
        {
            using var now = Process.GetCurrentProcess();
            return new RunCost(now.TotalProcessorTime - cpu, GC.GetTotalPauseDuration() - pause, GC.CollectionCount(0) - all, GC.CollectionCount(2) - full,
                GCSettings.IsServerGC, GC.GetTotalAllocatedBytes(precise: false) - allocated);
        };
    }
}
