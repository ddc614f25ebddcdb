using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using SweetGossip.Cli.Files;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cli.Fuzz;

/// <summary>
/// One fuzz run against a live node: spawns it (or finds it), links an honest originator and an honest sink to it
/// and checks one honest topic gets through before anything else, then writes the plan's shots on fuzz links while
/// the originator keeps originating topics (evenly spread over the frames), waits for the last ones to arrive,
/// checks the node is still alive, and reports.
/// </summary>
public static class FuzzRunner
{
    public static async Task<FuzzReport> RunAsync(FuzzSettings settings, Action<string> log, CancellationToken ct)
    {
        var authority = settings.AuthorityFile is { } file ? AuthorityFile.Load(file).Authority : FuzzMaterial.SpawnAuthority(settings.Seed);
        // Topic 0 is the warm-up: it must get through before the first fuzz frame.
        var material = new FuzzMaterial(settings.Seed, settings.Epoch, authority, settings.HonestTopics + 1);
        var directory = settings.Directory ?? Path.Combine(Path.GetTempPath(), "sgossip-fuzz-" + Guid.NewGuid().ToString("N")[..8]);
        SpawnedTarget? spawned = null;
        try
        {
            EndPoint endPoint;
            PublicKey? identity;
            int? pid = settings.Pid;
            if (settings.Spawn)
            {
                spawned = await SpawnedTarget.StartAsync(directory, settings.Seed, authority, TimeSpan.FromSeconds(60), keepLog: settings.Directory is not null, ct);
                (endPoint, identity, pid) = (spawned.EndPoint, spawned.Identity, spawned.Pid);
                log($"fuzz: spawned node pid {spawned.Pid} listening on {endPoint} (files in {directory})");
            }
            else
            {
                var address = PeerAddress.Parse(settings.Target!);
                (endPoint, identity) = (address.EndPoint, address.ExpectedIdentity);
            }
            return await FuzzAsync(settings, material, endPoint, identity, pid, spawned, log, ct);
        }
        finally
        {
            if (spawned is not null) await spawned.DisposeAsync();
            if (settings.Spawn && settings.Directory is null) TryDelete(directory);
        }
    }

    /// <summary>
    /// The run's shots, in order, each with the honest topics due before it (evenly spread over the frames, the
    /// first at frame 0; the warm-up topic not counted) and the frames planned before it. Only the seed, the
    /// material and these counts decide them: the runner and a dry run go through the very same sequence.
    /// </summary>
    public static IEnumerable<(FuzzShot Shot, int HonestDue, long Planned)> Shots(FuzzPlan plan, int frames, int honestTopics)
    {
        long planned = 0;
        while (planned < frames)
        {
            var due = honestTopics == 0 ? 0 : (int)Math.Min(honestTopics, planned * honestTopics / frames + 1);
            // The warm-up topic (index 0) and the due ones are the honest topics whose payload ids the shot may use.
            var shot = plan.Next(due + 1, (int)Math.Min(int.MaxValue, frames - planned));
            yield return (shot, due, planned);
            planned += shot.FrameCount;
        }
    }

    /// <summary>What a run with these settings would send, planned without connecting anywhere: its digest and counts.</summary>
    public static FuzzDryRun DryRun(FuzzSettings settings)
    {
        var authority = settings.AuthorityFile is { } file ? AuthorityFile.Load(file).Authority : FuzzMaterial.SpawnAuthority(settings.Seed);
        var material = new FuzzMaterial(settings.Seed, settings.Epoch, authority, settings.HonestTopics + 1);
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var frames = new SortedDictionary<string, int>(StringComparer.Ordinal);
        long planned = 0;
        var shots = 0;
        foreach (var (shot, _, _) in Shots(new FuzzPlan(settings.Seed, material), settings.Frames, settings.HonestTopics))
        {
            shot.AddTo(digest);
            shots++;
            planned += shot.FrameCount;
            var name = FuzzMix.NameOf(shot.Mutation);
            frames[name] = frames.GetValueOrDefault(name) + shot.FrameCount;
        }
        return new FuzzDryRun(planned, shots, settings.Seed, UnixTime.ToSeconds(material.Epoch), Convert.ToHexStringLower(digest.GetCurrentHash()), frames);
    }

    private static async Task<FuzzReport> FuzzAsync(FuzzSettings settings, FuzzMaterial material, EndPoint endPoint, PublicKey? identity, int? pid,
        SpawnedTarget? spawned, Action<string> log, CancellationToken ct)
    {
        var honestIds = material.Honest.Select(r => r.Payload.PayloadId).ToHashSet();
        await using var sink = new HonestSink(endPoint, identity, material.SinkKey, settings.Patience, honestIds);
        await using var origin = new HonestOriginator(endPoint, identity, material.OriginatorKey, settings.Patience, material);
        try
        {
            await sink.StartAsync(ct);
            await origin.StartAsync(ct);
        }
        catch (LinkRefusedException e)
        {
            throw new CliException($"the honest peers could not link to the target at {endPoint}: {e.Message}{TailOf(spawned)}");
        }
        identity ??= sink.Target;
        await origin.OriginateAsync(0);
        try
        {
            await sink.ArrivalOf(material.Honest[0].Payload.PayloadId).WaitAsync(TimeSpan.FromSeconds(60), ct);
        }
        catch (TimeoutException)
        {
            throw new CliException("the target did not relay an honest topic to the honest sink before any fuzzing" +
                (settings.Spawn ? "" : " (does it trust --authority? has it at most fanout peers besides the fuzzer's?)") + TailOf(spawned));
        }
        log($"fuzz: an honest topic got through; fuzzing with {settings.Frames} frames (seed {settings.Seed}, epoch {UnixTime.ToSeconds(material.Epoch)})");

        var rssStart = pid is { } p ? ProcessMemory.ResidentMb(p) : null;
        using var sampling = new CancellationTokenSource();
        var rssMax = rssStart;
        var sampler = pid is { } sampled ? Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await timer.WaitForNextTickAsync(sampling.Token).ConfigureAwait(false))
                if (ProcessMemory.ResidentMb(sampled) is { } mb && mb > (rssMax ?? 0)) rssMax = mb;
        }) : Task.CompletedTask;

        var tally = new FuzzTally();
        var plan = new FuzzPlan(settings.Seed, material);
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        string? stoppedEarly = null;
        var rssProgress = new List<double>();
        var originated = 0;
        var clock = Stopwatch.StartNew();
        var nextProgress = settings.Frames / 10;
        await using var links = new FuzzLinks(endPoint, identity, material, settings.Patience, tally);
        try
        {
            foreach (var (shot, due, planned) in Shots(plan, settings.Frames, settings.HonestTopics))
            {
                ct.ThrowIfCancellationRequested();
                while (originated < due) await origin.OriginateAsync(++originated);
                shot.AddTo(digest);
                await links.ExecuteAsync(shot, ct);
                if (planned + shot.FrameCount >= nextProgress && nextProgress > 0)
                {
                    var rss = pid is { } now ? ProcessMemory.ResidentMb(now) : null;
                    if (rss is not null) rssProgress.Add(rss.Value);
                    log($"fuzz: {planned + shot.FrameCount} frames on {tally.Links} links in {clock.Elapsed.TotalSeconds:0} s; honest topics delivered {sink.Delivered}/{originated + 1}" +
                        (rss is null ? "" : $"; node memory {rss} MB"));
                    nextProgress += settings.Frames / 10;
                }
            }
        }
        catch (FuzzTargetGoneException e)
        {
            stoppedEarly = e.Message;
            log($"fuzz: stopped early: {e.Message}");
        }
        var fuzzSeconds = clock.Elapsed.TotalSeconds;

        // The honest topics originated while fuzzing; the last ones may still be on their way.
        var arrivals = Enumerable.Range(1, originated).Select(i => sink.ArrivalOf(material.Honest[i].Payload.PayloadId)).ToList();
        try
        {
            await Task.WhenAll(arrivals).WaitAsync(settings.Settle, ct);
        }
        catch (TimeoutException)
        {
            log($"fuzz: {arrivals.Count(a => !a.IsCompleted)} honest topics still missing after {settings.Settle.TotalSeconds:0} s");
        }
        var latencies = Enumerable.Range(1, originated)
            .Where(i => arrivals[i - 1].IsCompletedSuccessfully)
            .Select(i => (arrivals[i - 1].Result - origin.OriginatedAt[i]).TotalMilliseconds)
            .Order().ToList();

        var rssEnd = pid is { } q ? ProcessMemory.ResidentMb(q) : null;
        await sampling.CancelAsync();
        try { await sampler; } catch (OperationCanceledException) { }
        var alive = spawned is not { HasExited: true } && await links.ProbeAsync(ct);
        await links.DisposeAsync();
        var honestDisconnects = sink.Disconnects.Select(d => $"sink: {d}").Concat(origin.Disconnects.Select(d => $"originator: {d}")).ToList();
        int? exitCode = null;
        if (spawned is not null)
        {
            await sink.DisposeAsync();
            await origin.DisposeAsync();
            exitCode = await spawned.StopAsync();
        }

        return new FuzzReport
        {
            FramesSent = tally.FramesSent,
            NodeAlive = alive,
            HonestDelivery = originated == 0 ? 1 : Math.Round((double)latencies.Count / originated, 4),
            RssStartMb = rssStart,
            RssEndMb = rssEnd,
            RssMaxMb = rssMax is { } max ? Math.Max(max, rssEnd ?? 0) : null,
            RssProgressMb = rssProgress,
            HonestTopics = originated,
            HonestDelivered = latencies.Count,
            HonestLatencyMsP50 = Percentile(latencies, 0.50),
            HonestLatencyMsP99 = Percentile(latencies, 0.99),
            HonestLatencyMsMax = latencies.Count == 0 ? null : Math.Round(latencies[^1], 1),
            HonestDisconnects = honestDisconnects,
            HonestPowBitsMax = origin.HardestDifficulty,
            HonestRepliesReceived = origin.RepliesReceived,
            BytesSent = tally.BytesSent,
            Shots = tally.Shots,
            Seconds = Math.Round(fuzzSeconds, 1),
            FramesPerSecond = Math.Round(tally.FramesSent / Math.Max(fuzzSeconds, 1e-3)),
            Links = tally.Links,
            Disconnects = tally.Disconnects,
            ConnectRefused = tally.ConnectRefused,
            PoisonedDropped = tally.PoisonedDropped,
            PoisonedKept = tally.PoisonedKept,
            PoisonedKeptShots = tally.PoisonedKeptShots,
            DroppedAfterOffences = tally.DroppedAfterOffences,
            KeptAfterOffences = tally.KeptAfterOffences,
            KeptAfterOffencesShots = tally.KeptAfterOffencesShots,
            Stalled = tally.Stalled,
            StallsDroppedByNode = tally.StallsDroppedByNode,
            WriteRetries = tally.WriteRetries,
            Handshakes = tally.Handshakes,
            Mutations = tally.FramesByMutation,
            ShotsByMutation = tally.ShotsByMutation,
            Variants = tally.ShotsByVariant,
            NodeExitCode = exitCode,
            NodeLog = spawned?.Log(),
            Target = settings.Spawn ? $"spawned {endPoint}" : settings.Target!,
            SourcesRotated = links.RotatingSources,
            Seed = settings.Seed,
            Epoch = UnixTime.ToSeconds(material.Epoch),
            PlanDigest = Convert.ToHexStringLower(digest.GetCurrentHash()),
            StoppedEarly = stoppedEarly,
        };
    }

    private static double? Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? null : Math.Round(sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)], 1);

    private static string TailOf(SpawnedTarget? spawned) => spawned is null ? "" : $"; the node's last lines: {spawned.Tail()}";

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary folder.
        }
    }
}
