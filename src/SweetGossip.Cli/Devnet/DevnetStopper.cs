namespace SweetGossip.Cli.Devnet;

/// <summary>How one process ended: "stopped" (by SIGTERM), "killed" (SIGKILL after the grace), or "not running" (before).</summary>
public sealed record StopOutcome(string Name, int Pid, string How);

/// <summary>
/// Stops a devnet's processes as a service manager would: SIGTERM, time to shut down cleanly (a node flushes its
/// journal, closes its links, leaves the control note), then SIGKILL. The nodes first, the Lightning hub last, since
/// a node's last settlement steps may still go to the hub.
/// </summary>
public static class DevnetStopper
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a SIGKILLed process may take to disappear before this gives up on it.</summary>
    private static readonly TimeSpan AfterKill = TimeSpan.FromSeconds(10);

    public static async Task<IReadOnlyList<StopOutcome>> StopAsync(IReadOnlyList<DevnetProcess> processes, TimeSpan grace, CancellationToken cancel)
    {
        var nodes = processes.Where(p => p.Kind != DevnetProcess.LightningHubKind).Reverse().ToList();
        var hub = processes.Where(p => p.Kind == DevnetProcess.LightningHubKind).ToList();
        return [.. await StopTogetherAsync(nodes, grace, cancel), .. await StopTogetherAsync(hub, grace, cancel)];
    }

    private static async Task<List<StopOutcome>> StopTogetherAsync(List<DevnetProcess> processes, TimeSpan grace, CancellationToken cancel)
    {
        var how = processes.Select(p => p.Handle.Terminate() ? "stopped" : "not running").ToArray();
        var left = await WaitGoneAsync(processes, grace, cancel);
        foreach (var p in left)
            if (p.Handle.Kill()) how[processes.IndexOf(p)] = $"killed (still running {grace.TotalSeconds:0} s after SIGTERM)";
        left = await WaitGoneAsync(left, AfterKill, cancel);
        if (left.Count > 0)
            throw new CliException($"{string.Join(", ", left.Select(p => $"{p.Name} (pid {p.Pid})"))} still running after SIGKILL");
        return [.. processes.Select((p, i) => new StopOutcome(p.Name, p.Pid, how[i]))];
    }

    private static async Task<List<DevnetProcess>> WaitGoneAsync(List<DevnetProcess> processes, TimeSpan patience, CancellationToken cancel)
    {
        var deadline = DateTimeOffset.UtcNow + patience;
        while (true)
        {
            var running = processes.Where(p => p.Handle.IsRunning).ToList();
            if (running.Count == 0 || DateTimeOffset.UtcNow > deadline) return running;
            await Task.Delay(PollInterval, cancel);
        }
    }
}
