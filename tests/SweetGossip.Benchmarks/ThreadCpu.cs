namespace SweetGossip.Benchmarks;

/// <summary>
/// CPU time of this process's threads by name, from /proc (Linux): lets a measured window leave out the runtime's
/// tiered-compilation thread, whose work is start-up (it compiles hot methods again, optimised) and whose share of a
/// short window swings with the machine's load. Null figures where /proc is not there.
/// </summary>
internal static class ThreadCpu
{
    /// <summary>The runtime's background JIT thread (tier-up), as Linux shows its name.</summary>
    private const string TieredCompilation = ".NET Tiered Com";

    /// <summary>CPU time (user + system) of every thread that is not the tier-up JIT, summed over the live threads.</summary>
    public static TimeSpan? WithoutJit()
    {
        try
        {
            long ticks = 0;
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                string comm, stat;
                try
                {
                    comm = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
                    stat = File.ReadAllText(Path.Combine(task, "stat"));
                }
                catch (IOException) { continue; } // the thread ended meanwhile
                if (comm == TieredCompilation) continue;
                // Fields after the ")" that ends the name: state is field 3, utime 14 and stime 15 (clock ticks).
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11]) + long.Parse(fields[12]);
            }
            return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    // USER_HZ: 100 on every Linux the project runs on (sysconf is not reachable without P/Invoke).
    private const int ClockTicksPerSecond = 100;
}
