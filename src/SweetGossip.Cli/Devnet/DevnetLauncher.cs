namespace SweetGossip.Cli.Devnet;

/// <summary>
/// Starts one devnet process in the background (<see cref="BackgroundLaunch"/>) and waits for its ready line, from
/// which it learns the ports the OS gave it. <paramref name="spawned"/>-style callbacks hear of the pid before the wait,
/// so devnet.json names every process that may be running, whatever happens next.
/// </summary>
public static class DevnetLauncher
{
    /// <summary>`sgossip ln hub --listen <paramref name="listen"/> --data &lt;lightning-hub&gt;` (port 0 at the first start).</summary>
    public static async Task<DevnetProcess> LightningHubAsync(DevnetLayout layout, string listen, TimeSpan patience, Action<DevnetProcess> spawned, CancellationToken cancel)
    {
        const string name = DevnetLayout.LightningHubName;
        var log = layout.LogOf(name);
        var from = LogFollower.EndOf(log);
        var process = BackgroundLaunch.Start(layout.Directory, log, "ln", "hub", "--listen", listen, "--data", layout.LightningHubData);
        var record = new DevnetProcess(name, DevnetProcess.LightningHubKind, DevnetProcess.LightningHubKind, process.Pid, process.StartStamp, log);
        spawned(record);
        var ready = await new LogFollower(name, log, from, process).LineAsync(ReadyLine.IsHubReady, "its ready line", DateTimeOffset.UtcNow + patience, cancel);
        var url = ReadyLine.Field(ready, "listen");
        var tokenFile = ReadyLine.Rest(ready, "token-file");
        return record with { Url = url, TokenFile = tokenFile, Cli = DevnetGuide.HubStateCommand(url, tokenFile) };
    }

    /// <summary>`sgossip node run --config &lt;name&gt;/node.conf`, in the node's folder.</summary>
    /// <param name="clusterMember">A member of a relay hub's cluster: ready only once it is Up in the cluster (its ready line names its address).</param>
    public static async Task<DevnetProcess> NodeAsync(DevnetLayout layout, string name, string role, string identity, IReadOnlyList<string> dials,
        bool clusterMember, TimeSpan patience, Action<DevnetProcess> spawned, CancellationToken cancel)
    {
        var config = layout.ConfigOf(name);
        var log = layout.LogOf(name);
        var from = LogFollower.EndOf(log);
        var process = BackgroundLaunch.Start(layout.FolderOf(name), log, "node", "run", "--config", config);
        var record = new DevnetProcess(name, DevnetProcess.NodeKind, role, process.Pid, process.StartStamp, log, config, identity, dials);
        spawned(record);
        var ready = await new LogFollower(name, log, from, process).LineAsync(ReadyLine.IsNodeReady, "its ready line", DateTimeOffset.UtcNow + patience, cancel);
        var control = ReadyLine.Field(ready, "control");
        return record with
        {
            Listen = ReadyLine.Field(ready, "listen"),
            Control = control,
            ControlTokenFile = ReadyLine.Rest(ready, "control-token"),
            Cli = DevnetGuide.StatusCommand(control),
            Metrics = ReadyLine.Field(ready, "metrics"),
            HubMember = clusterMember ? ReadyLine.Field(ready, "hub-member") : null,
        };
    }
}
