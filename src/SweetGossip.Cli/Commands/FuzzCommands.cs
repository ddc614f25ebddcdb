using System.CommandLine;
using SweetGossip.Cli.Fuzz;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cli.Commands;

/// <summary>
/// `sgossip fuzz`: a live fuzzer. Speaks the real link handshake to a node (a running one, or a `node run` it
/// spawns) and writes damaged and misplaced frames at it — bit flips, truncations, length lies, swapped fields,
/// replays, frames out of order, floods — from fresh identities, reconnecting whenever the node drops a link, while
/// an honest originator and sink keep a stream of topics flowing through it. Prints what got through and whether
/// the node survived. Exit code 0: the node is alive and enough honest topics got through.
/// </summary>
internal static class FuzzCommands
{
    public static Command Build()
    {
        var target = Options.Optional<string?>("--target", "A running node to fuzz: [identity@]host:port (needs --authority)");
        var spawn = Options.Optional<bool>("--spawn", "Spawn a `sgossip node run` on loopback and fuzz it");
        var frames = Options.WithDefault("--frames", "Frames to write (damaged or not), in all", 10_000);
        var seed = Options.WithDefault("--seed", "Seed of everything the fuzzer sends", 1);
        var authority = Options.Optional<string?>("--authority", "With --target: the authority file (sgossip ca new) whose certificates the target trusts");
        var pid = Options.Optional<int?>("--pid", "With --target: the target's process id, to report its memory");
        var honest = Options.Optional<int?>("--honest", "Honest topics originated while fuzzing (default: one per 100 frames, 10..2000)");
        var settle = Options.WithDefault("--settle", "Seconds to wait after the last frame for honest topics still on their way", 60);
        var minDelivery = Options.WithDefault("--min-delivery", "Share of honest topics that must get through for exit code 0", 0.99);
        var epoch = Options.Optional<long?>("--epoch", "Unix second the run's requests are dated from (default: now; within the last hours): with --seed, repeats a run's frames exactly");
        var dryRun = Options.Optional<bool>("--dry-run", "Only plan the frames (connect nowhere) and print their digest and counts per mutation");
        var directory = Options.Optional<string?>("--dir", "With --spawn: folder for the node's key, config, data and nothing else (default: a temporary folder, deleted afterwards)");
        var command = Options.Command("fuzz", "Fuzz a live node over the real link protocol while honest topics flow through it",
            target, spawn, frames, seed, authority, pid, honest, settle, minDelivery, epoch, dryRun, directory);
        command.SetAction(async (parse, cancel) =>
        {
            var ctx = CliContext.From(parse);
            var settings = Settings(parse.GetValue(target), parse.GetValue(spawn), parse.GetValue(frames), parse.GetValue(seed), parse.GetValue(authority),
                parse.GetValue(pid), parse.GetValue(honest), parse.GetValue(settle), parse.GetValue(epoch), parse.GetValue(directory));
            var needed = parse.GetValue(minDelivery);
            if (needed is < 0 or > 1) throw new CliException($"--min-delivery: must be 0..1 (got {needed})");
            if (parse.GetValue(dryRun))
            {
                var plan = FuzzRunner.DryRun(settings);
                ctx.Write(plan, $"{plan.FramesPlanned} frames in {plan.Shots} shots (seed {plan.Seed}, epoch {plan.Epoch}): plan digest {plan.PlanDigest}");
                return 0;
            }
            var error = parse.InvocationConfiguration.Error;
            var report = await FuzzRunner.RunAsync(settings, line => error.WriteLine(line), cancel);
            ctx.Write(report,
                $"frames sent {report.FramesSent} in {report.Seconds} s on {report.Links} links (the node dropped {report.Disconnects}); node alive: {(report.NodeAlive ? "yes" : "NO")}",
                $"honest topics delivered {report.HonestDelivered}/{report.HonestTopics} ({report.HonestDelivery:P1}), latency p50 {report.HonestLatencyMsP50} ms, p99 {report.HonestLatencyMsP99} ms",
                $"node memory {report.RssStartMb} MB at the start, {report.RssEndMb} MB at the end, {report.RssMaxMb} MB at most",
                $"poisoned links dropped {report.PoisonedDropped}, kept {report.PoisonedKept}; stalled {report.Stalled} (dropped by the node {report.StallsDroppedByNode}); honest peers dropped {report.HonestDisconnects.Count}");
            return report.NodeAlive && report.StoppedEarly is null && report.HonestDelivery >= needed ? 0 : 1;
        });
        return command;
    }

    private static FuzzSettings Settings(string? target, bool spawn, int frames, int seed, string? authority, int? pid, int? honest, int settle, long? epoch, string? directory)
    {
        if ((target is null) == !spawn)
            throw new CliException("give either --target HOST:PORT or --spawn");
        if (target is not null)
        {
            if (!PeerAddress.TryParse(target, out _, out var error)) throw new CliException($"--target: {error}");
            if (authority is null) throw new CliException("--target: also give --authority, the authority file whose certificates the target trusts (honest topics need one)");
            if (directory is not null) throw new CliException("--dir: only with --spawn");
        }
        else if (authority is not null || pid is not null)
            throw new CliException($"{(authority is not null ? "--authority" : "--pid")}: only with --target (a spawned node trusts the run's own authority)");
        if (frames is < 1 or > 1_000_000_000) throw new CliException($"--frames: must be 1..1000000000 (got {frames})");
        var topics = honest ?? Math.Clamp(frames / 100, 10, 2_000);
        if (topics is < 1 or > 100_000) throw new CliException($"--honest: must be 1..100000 (got {topics})");
        if (settle is < 1 or > 3_600) throw new CliException($"--settle: must be 1..3600 seconds (got {settle})");
        var now = DateTimeOffset.UtcNow;
        var start = epoch is { } e ? UnixTime.FromSeconds(e) : now;
        // Requests are dated from the epoch and live FuzzMaterial.RequestLifetime: an older epoch gives expired ones.
        if (start > now.AddMinutes(1) || start < now - FuzzMaterial.RequestLifetime / 2)
            throw new CliException($"--epoch: must be within the last {(FuzzMaterial.RequestLifetime / 2).TotalHours:0} hours (requests dated from it must still be valid)");
        if (directory is not null && Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
            throw new CliException($"--dir: {directory} is not empty");
        return new FuzzSettings
        {
            Frames = frames,
            Seed = seed,
            Target = target,
            AuthorityFile = authority,
            Pid = pid,
            HonestTopics = topics,
            Settle = TimeSpan.FromSeconds(settle),
            Epoch = start,
            Directory = directory is null ? null : Path.GetFullPath(directory),
        };
    }
}
