using System.Security.Cryptography;
using SweetGossip.Cli.Fuzz;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Cli.Tests;

/// <summary>
/// `sgossip fuzz`: ten thousand damaged, replayed, misplaced and flooded frames at a real `node run` process over
/// the real link protocol, from fresh identities, while an honest originator and sink keep topics flowing through
/// it. The node must survive, carry every honest topic, drop every link that broke the record layer, and keep its
/// memory bounded. The plan the fuzzer sends is a function of the seed (and the run's epoch).
/// </summary>
public class FuzzCommandTests : CliTestBase
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UtcNow;

    [Fact]
    public void A_spawned_node_fuzzed_with_ten_thousand_frames_stays_up_and_carries_every_honest_topic()
    {
        var result = Run("fuzz", "--spawn", "--frames", "10000", "--seed", "7", "--json", "--dir", PathOf("target"));
        Assert.True(result.ExitCode == 0, result.ToString());
        var report = result.Json();

        // The shape the issue asks for, and the fields that say where the frames went.
        foreach (var field in (string[])["frames_sent", "node_alive", "honest_delivery", "rss_start_mb", "rss_end_mb", "rss_max_mb", "honest_topics",
                     "honest_delivered", "links", "disconnects", "poisoned_dropped", "poisoned_kept", "mutations", "variants", "plan_digest", "node_log"])
            Assert.True(report.TryGetProperty(field, out _), $"no {field} in\n{result.Out}");
        Assert.Equal(10_000, report.GetProperty("frames_sent").GetInt64());
        Assert.True(report.GetProperty("node_alive").GetBoolean(), result.Out);

        // Every honest topic originated while fuzzing got through the node; no honest peer was dropped.
        var topics = report.GetProperty("honest_topics").GetInt32();
        Assert.True(topics >= 90, result.Out);
        Assert.Equal(topics, report.GetProperty("honest_delivered").GetInt32());
        Assert.Equal(1.0, report.GetProperty("honest_delivery").GetDouble());
        Assert.Empty(report.GetProperty("honest_disconnects").EnumerateArray());

        // Every mutation was tried, and the node really had to deal with hostile links: it dropped hundreds.
        var mutations = report.GetProperty("mutations").EnumerateObject().Select(m => m.Name).ToHashSet();
        foreach (var mutation in Enum.GetValues<FuzzMutation>().Where(m => m is not FuzzMutation.Handshake))
            Assert.Contains(FuzzMix.NameOf(mutation), mutations);
        Assert.True(report.GetProperty("disconnects").GetInt32() >= 500, result.Out);
        // A record that cannot authenticate must cost the link at once.
        Assert.True(report.GetProperty("poisoned_dropped").GetInt32() > 0, result.Out);
        Assert.Equal(0, report.GetProperty("poisoned_kept").GetInt32());

        // Memory: generous, since a loaded machine's GC keeps what it likes; a leak per frame or link would show.
        var growth = report.GetProperty("rss_end_mb").GetDouble() - report.GetProperty("rss_start_mb").GetDouble();
        Assert.True(growth < 300, $"the node grew by {growth:0} MB\n{result.Out}");

        // No actor of the node threw (an ERROR line), and it stopped cleanly on SIGTERM.
        var log = report.GetProperty("node_log");
        Assert.True(log.GetProperty("errors").GetInt64() == 0, log.ToString());
        Assert.Equal(0, report.GetProperty("node_exit_code").GetInt32());
        Assert.True(File.Exists(PathOf("target/node.log")));

        // What was written is exactly what the seed plans: a dry run with the run's epoch has the same digest.
        var dry = Ok("fuzz", "--spawn", "--dry-run", "--frames", "10000", "--seed", "7", "--epoch", report.GetProperty("epoch").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
        Assert.Equal(dry.Json().GetProperty("plan_digest").GetString(), report.GetProperty("plan_digest").GetString());
    }

    [Fact]
    public async Task Two_processes_given_the_same_seed_and_epoch_plan_the_same_frames_and_another_seed_does_not()
    {
        var epoch = Epoch.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] args = ["fuzz", "--spawn", "--dry-run", "--frames", "3000", "--seed", "3", "--epoch", epoch, "--json"];
        var first = await DigestInChildProcessAsync(args);
        Assert.Equal(first, await DigestInChildProcessAsync(args));
        Assert.Equal(first, Ok(args).Json().GetProperty("plan_digest").GetString());
        Assert.NotEqual(first, Ok(["fuzz", "--spawn", "--dry-run", "--frames", "3000", "--seed", "4", "--epoch", epoch, "--json"]).Json().GetProperty("plan_digest").GetString());
    }

    [Fact]
    public void The_same_seed_and_epoch_give_the_same_signed_requests_byte_for_byte()
    {
        var a = new FuzzMaterial(5, Epoch, FuzzMaterial.SpawnAuthority(5), 3);
        var b = new FuzzMaterial(5, Epoch, FuzzMaterial.SpawnAuthority(5), 3);
        Assert.Equal(Encode(a.Honest[2]), Encode(b.Honest[2]));
        Assert.Equal(Encode(a.Pool[0]), Encode(b.Pool[0]));
        Assert.NotEqual(Encode(a.Honest[1]), Encode(a.Honest[2]));
    }

    [Fact]
    public void The_schema_free_reader_writes_every_frame_of_a_plan_back_byte_for_byte()
    {
        var material = new FuzzMaterial(6, Epoch, FuzzMaterial.SpawnAuthority(6), 4);
        var frames = new ValidFrames(material);
        var random = new Random(6);
        for (var i = 0; i < 300; i++)
        {
            var bytes = FrameCodec.Encode(frames.Any(random, 4).Frame);
            var tree = ProtoTree.Parse(bytes);
            Assert.NotNull(tree);
            Assert.Equal(bytes, ProtoTree.Write(tree));
        }
    }

    [Fact]
    public void A_shot_never_writes_more_frames_than_are_left_and_a_plan_writes_exactly_what_was_asked()
    {
        var material = new FuzzMaterial(8, Epoch, FuzzMaterial.SpawnAuthority(8), 11);
        var plan = new FuzzPlan(8, material);
        const int frames = 3_000;
        long planned = 0;
        foreach (var (shot, due, before) in FuzzRunner.Shots(plan, frames, 10))
        {
            Assert.Equal(planned, before);
            Assert.InRange(due, 1, 10);
            Assert.True(shot.FrameCount <= frames - planned);
            Assert.All(shot.Records, r => Assert.True(r.Plaintext.Length <= WireLimits.MaxFrameBytes));
            planned += shot.FrameCount;
        }
        Assert.Equal(frames, planned);
    }

    [Theory]
    [InlineData(new[] { "fuzz" }, "error: give either --target HOST:PORT or --spawn")]
    [InlineData(new[] { "fuzz", "--spawn", "--target", "127.0.0.1:9735" }, "error: give either --target HOST:PORT or --spawn")]
    [InlineData(new[] { "fuzz", "--target", "127.0.0.1:9735" }, "error: --target: also give --authority, the authority file whose certificates the target trusts (honest topics need one)")]
    [InlineData(new[] { "fuzz", "--target", "nowhere" }, "error: --target: 'nowhere': expected host:port (port 0..65535)")]
    [InlineData(new[] { "fuzz", "--spawn", "--frames", "0" }, "error: --frames: must be 1..1000000000 (got 0)")]
    [InlineData(new[] { "fuzz", "--spawn", "--epoch", "1" }, "error: --epoch: must be within the last 3 hours (requests dated from it must still be valid)")]
    [InlineData(new[] { "fuzz", "--spawn", "--pid", "1" }, "error: --pid: only with --target (a spawned node trusts the run's own authority)")]
    public void Fuzz_usage_errors_name_the_option(string[] args, string error) =>
        Assert.Equal(error, AssertOneLineError(Run(args)));

    private async Task<string> DigestInChildProcessAsync(string[] args)
    {
        await using var child = SweetGossip.Cli.Chaos.ChildProcess.Start("planner", Dir, null, TimeSpan.FromSeconds(60), args);
        await child.WaitForExitAsync();
        using var json = System.Text.Json.JsonDocument.Parse(string.Join('\n', child.Output.Split('\n').Where(l => !l.StartsWith("stderr: ", StringComparison.Ordinal))));
        return json.RootElement.GetProperty("plan_digest").GetString()!;
    }

    private static string Encode(SignedRequestPayload request) =>
        Convert.ToHexStringLower(FrameCodec.Encode(new AskForFavour(new SweetGossip.Protocol.Primitives.AskId(Guid.Empty), request)));
}
