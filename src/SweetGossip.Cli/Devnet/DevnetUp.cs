namespace SweetGossip.Cli.Devnet;

/// <summary>
/// `sgossip devnet up`: what docker/init-network.sh and compose do, on loopback without docker. The first time, writes
/// the authority and every node's key and certificate, starts the Lightning hub (`sgossip ln hub`), then the nodes in
/// plan order (`sgossip node run`), each in the background with its log in logs/. Every port is picked by the OS
/// (port 0) and read back from the process's ready line, so nothing races for a port; a node's config names the nodes
/// it dials, which started before it, and is rewritten with its own ports once it is up, so that a restart finds it
/// where its peers dial it. On a stopped devnet, starts the same processes again on their files (keys, ledger,
/// journals) and pinned ports. Waits until every node has all its links. Any failure, or Ctrl-C, stops what it started.
/// </summary>
public static class DevnetUp
{
    /// <summary>The grace a node gets to stop when `up` fails half-way (as `devnet down` gives).</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    /// <param name="plan">The devnet to create; on a stopped devnet, checked against it only if <paramref name="planGiven"/>.</param>
    /// <param name="patience">How long each process may take to be ready, and the nodes to link up.</param>
    public static async Task<DevnetManifest> RunAsync(DevnetLayout layout, DevnetPlan plan, bool planGiven, TimeSpan patience, Action<string> progress, CancellationToken cancel)
    {
        Directory.CreateDirectory(layout.Directory);
        RefuseForeignFiles(layout);
        using var held = DevnetLock.Take(layout);
        if (!File.Exists(layout.Manifest))
        {
            RefuseForeignFiles(layout); // another `up` may have been here between the first look and the lock
            return await FirstStartAsync(layout, plan, patience, progress, cancel);
        }
        var stopped = DevnetManifest.Read(layout.Manifest);
        RefuseRunning(layout, stopped);
        RefuseOtherShape(layout, stopped, plan, planGiven);
        return await RestartAsync(layout, stopped, patience, progress, cancel);
    }

    private static async Task<DevnetManifest> FirstStartAsync(DevnetLayout layout, DevnetPlan plan, TimeSpan patience, Action<string> progress, CancellationToken cancel)
    {
        var authority = DevnetMaterials.CreateAuthority(layout.Authority);
        var run = new Run(layout, new DevnetManifest(DevnetManifest.FileType, layout.Directory, DateTimeOffset.UtcNow.ToString("O"),
            layout.Authority, authority.PublicKey.ToHex(), plan.HubMembers, [], []));
        return await run.GuardAsync(async () =>
        {
            var identities = DevnetMaterials.CreateIdentities(authority, plan, layout);
            // Owner-only, like the keys: the logs name payments and invoices.
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(layout.Logs);
            else Directory.CreateDirectory(layout.Logs, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var hub = await run.StartAsync(spawned => DevnetLauncher.LightningHubAsync(layout, "127.0.0.1:0", patience, spawned, cancel));
            progress($"{hub.Name} ready at {hub.Url}");
            // The first member forms the cluster, so the others need its address before it runs: a port free now.
            var seed = plan.IsCluster ? DevnetCluster.SeedAddress("127.0.0.1", DevnetCluster.FreeLoopbackPort()) : null;
            var configs = new Dictionary<string, Func<DevnetAddresses, string>>();
            var pinned = new Dictionary<string, DevnetAddresses>();
            foreach (var member in plan.Members)
            {
                var peers = member.Dials.Select(name => new DevnetPeer(name, identities[name], run.Node(name).Listen!)).ToList();
                var lightningName = member.Role == DevnetRole.HubMember ? identities[member.Name].ToHex() : member.Name;
                configs[member.Name] = addresses => DevnetConfigText.For(member, peers, authority.PublicKey.ToHex(), hub.Url!, lightningName, addresses);
                var clusterMember = seed is not null && member.Role == DevnetRole.HubMember;
                var cluster = clusterMember
                    ? new DevnetClusterSection("127.0.0.1", member.Name == plan.Members[0].Name ? new Uri(seed!).Port : 0, [seed!])
                    : null;
                var config = layout.ConfigOf(member.Name);
                await File.WriteAllTextAsync(config, configs[member.Name](new DevnetAddresses("127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0", Cluster: cluster)), cancel);
                var node = await run.StartAsync(spawned =>
                    DevnetLauncher.NodeAsync(layout, member.Name, member.RoleName, identities[member.Name].ToHex(), member.Dials, clusterMember, patience, spawned, cancel));
                pinned[member.Name] = new DevnetAddresses(node.Listen!, new Uri(node.Control!).Authority, new Uri(node.Metrics!).Authority,
                    Cluster: cluster is null ? null : cluster with { Port = new Uri(node.HubMember!).Port });
                await File.WriteAllTextAsync(config, configs[member.Name](pinned[member.Name]), cancel);
                progress(clusterMember
                    ? $"{node.Name} ({node.Role}) ready, listening on {node.Listen}, in the hub's cluster as {node.HubMember}"
                    : $"{node.Name} ({node.Role}) ready, listening on {node.Listen}");
            }
            if (seed is not null)
            {
                // Every member seeds from all of them, the first first: a member restarted alone joins the others
                // rather than forming a second cluster.
                var seeds = plan.Members.Where(m => m.Role == DevnetRole.HubMember).Select(m => run.Node(m.Name).HubMember!).ToList();
                foreach (var member in plan.Members.Where(m => m.Role == DevnetRole.HubMember))
                    await File.WriteAllTextAsync(layout.ConfigOf(member.Name),
                        configs[member.Name](pinned[member.Name] with { Cluster = pinned[member.Name].Cluster! with { SeedNodes = seeds } }), cancel);
            }
            await run.LinksAsync(patience, cancel);
            return run.Finish(plan.Rider.Name);
        });
    }

    private static async Task<DevnetManifest> RestartAsync(DevnetLayout layout, DevnetManifest stopped, TimeSpan patience, Action<string> progress, CancellationToken cancel)
    {
        var hubWas = stopped.All.FirstOrDefault(p => p.Kind == DevnetProcess.LightningHubKind);
        var nodesWere = stopped.All.Where(p => p.Kind == DevnetProcess.NodeKind).ToList();
        if (hubWas?.Url is null || nodesWere.Count == 0 || nodesWere.Any(n => n.Listen is null) || stopped.Try is not { Count: > 0 })
            throw new CliException($"{layout.Directory} holds a devnet that never finished starting; remove it with `sgossip devnet down --dir {DevnetGuide.Quote(layout.Directory)} --purge` or choose another --dir");
        var rider = nodesWere.FirstOrDefault(n => n.Role == "rider") ?? nodesWere[0];
        progress($"restarting the stopped devnet in {layout.Directory} on its keys, ledger and journals");
        var run = new Run(layout, stopped with { Directory = layout.Directory, Processes = [] });
        return await run.GuardAsync(async () =>
        {
            // The nodes' configs name the hub's URL and each other's ports: everything comes back where it was.
            var hub = await run.StartAsync(spawned => DevnetLauncher.LightningHubAsync(layout, new Uri(hubWas.Url).Authority, patience, spawned, cancel));
            progress($"{hub.Name} ready at {hub.Url}");
            foreach (var was in nodesWere)
            {
                var node = await run.StartAsync(spawned =>
                    DevnetLauncher.NodeAsync(layout, was.Name, was.Role, was.Identity ?? "", was.Dials ?? [], was.HubMember is not null, patience, spawned, cancel));
                progress($"{node.Name} ({node.Role}) ready, listening on {node.Listen}");
            }
            await run.LinksAsync(patience, cancel);
            return run.Finish(rider.Name);
        });
    }

    /// <summary>A directory holding anything but a devnet is not written into (checked before the lock file is made there).</summary>
    private static void RefuseForeignFiles(DevnetLayout layout)
    {
        if (!File.Exists(layout.Manifest) && Directory.EnumerateFileSystemEntries(layout.Directory).Any(e => e != layout.Lock))
            throw new CliException($"--dir: {layout.Directory} is not empty; give a new or empty directory for the devnet");
    }

    private static void RefuseRunning(DevnetLayout layout, DevnetManifest existing)
    {
        var running = existing.All.Where(p => p.Handle.IsRunning).ToList();
        if (running.Count > 0)
            throw new CliException($"{layout.Directory} already has a running devnet ({string.Join(", ", running.Select(p => $"{p.Name} pid {p.Pid}"))}); stop it with `sgossip devnet down --dir {DevnetGuide.Quote(layout.Directory)}` or choose another --dir");
    }

    /// <summary>A stopped devnet comes back as it was: asking for another size is a mistake, not a resize.</summary>
    private static void RefuseOtherShape(DevnetLayout layout, DevnetManifest stopped, DevnetPlan plan, bool planGiven)
    {
        var nodes = stopped.All.Count(p => p.Kind == DevnetProcess.NodeKind) - stopped.HubMembers;
        var requested = plan.Members.Count - plan.HubMembers;
        if (planGiven && (nodes != requested || stopped.HubMembers != plan.HubMembers))
            throw new CliException($"{layout.Directory} holds a stopped devnet of {nodes} nodes and {stopped.HubMembers} hub members; `up` restarts it as it was (leave out --nodes and --hub-members), or remove it with `sgossip devnet down --dir {DevnetGuide.Quote(layout.Directory)} --purge`");
    }

    /// <summary>One `up` in progress: the processes started so far, recorded in devnet.json at every step.</summary>
    private sealed class Run(DevnetLayout layout, DevnetManifest manifest)
    {
        private readonly List<DevnetProcess> _processes = [];
        private DevnetManifest _manifest = manifest;

        public DevnetProcess Node(string name) => _processes.Single(p => p.Kind == DevnetProcess.NodeKind && p.Name == name);

        /// <summary>Runs the start; should any step fail (or Ctrl-C come), stops every process started so far.</summary>
        public async Task<DevnetManifest> GuardAsync(Func<Task<DevnetManifest>> start)
        {
            Record();
            try
            {
                return await start();
            }
            catch (Exception e)
            {
                await DevnetStopper.StopAsync(_processes, StopGrace, CancellationToken.None);
                if (e is CliException)
                    throw new CliException($"{e.Message} (devnet up stopped what it had started; logs in {layout.Logs})");
                throw;
            }
        }

        /// <summary>Starts one process: recorded by its pid as soon as it runs, by its addresses once it is ready.</summary>
        public async Task<DevnetProcess> StartAsync(Func<Action<DevnetProcess>, Task<DevnetProcess>> launch)
        {
            var ready = await launch(spawned => { _processes.Add(spawned); Record(); });
            _processes[^1] = ready;
            Record();
            return ready;
        }

        /// <summary>
        /// Waits until every identity has all its links, those it dials and those dialling it: a node's own, and a
        /// relay hub's held by its members together (a node keeps one link to the hub, whichever member it reached).
        /// </summary>
        public async Task LinksAsync(TimeSpan patience, CancellationToken cancel)
        {
            var nodes = _processes.Where(p => p.Kind == DevnetProcess.NodeKind).ToList();
            var dials = nodes.ToDictionary(n => n.Name, n => n.Dials ?? []);
            var identityOf = nodes.ToDictionary(n => n.Name, n => n.Identity ?? n.Name);
            var deadline = DateTimeOffset.UtcNow + patience;
            foreach (var holders in nodes.GroupBy(n => identityOf[n.Name], StringComparer.Ordinal))
            {
                var names = holders.Select(n => n.Name).ToList();
                await LinkProbe.WaitForLinksAsync([.. holders], DevnetPlan.LinksOf(names, dials, name => identityOf[name]), deadline, cancel);
            }
        }

        public DevnetManifest Finish(string rider)
        {
            _manifest = _manifest with { Try = DevnetGuide.TryCommands(Node(rider)) };
            Record();
            return _manifest;
        }

        private void Record() => (_manifest = _manifest with { Processes = [.. _processes] }).Write(layout.Manifest);
    }
}
