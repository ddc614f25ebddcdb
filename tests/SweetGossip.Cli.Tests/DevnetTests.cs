using System.Text.Json;
using SweetGossip.Cli.Chaos;
using SweetGossip.Cli.Devnet;
using SweetGossip.Node.Tests.Support;

namespace SweetGossip.Cli.Tests;

/// <summary>
/// `sgossip devnet up|down` as a user runs them: `up` is its own process, which exits and leaves the Lightning hub and
/// the nodes running in the background; the test then talks to them with the ordinary commands (`topic broadcast`,
/// `replies`), and `down` must leave no process behind. Every wait is on a process's exit or the control endpoint.
/// </summary>
public class DevnetTests : CliTestBase
{
    /// <summary>Starting a hub and a few nodes one after another on a loaded two-core machine.</summary>
    private static readonly TimeSpan UpPatience = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan ReplyPatience = TimeSpan.FromSeconds(120);

    private string Devnet => PathOf("devnet");

    private string LastUpOutput { get; set; } = "";

    [Fact]
    public async Task Devnet_up_carries_a_topic_to_a_paid_opened_reply_and_down_leaves_no_process()
    {
        try
        {
            var manifest = await UpAsync("--nodes", "3");
            Assert.Equal(["lightning-hub", "node1", "node2", "node3"], manifest.All.Select(p => p.Name));
            Assert.Equal(["lightning-hub", "rider", "middleman", "taxi-driver"], manifest.All.Select(p => p.Role));
            Assert.All(manifest.All, p => Assert.True(IsAlive(p.Pid), $"{p.Name} (pid {p.Pid}) is not running after `up` exited"));
            // Each node dials up to two started before it.
            Assert.Equal(["node2", "node1"], manifest.All.Single(p => p.Name == "node3").Dials);
            var rider = manifest.All.Single(p => p.Name == "node1");
            Assert.Equal(2, Ok("node", "status", "--control", rider.Control!, "--json").Json().GetProperty("peers").GetInt32());

            var payloadId = Ok("topic", "broadcast", "--control", rider.Control!, "--lat", "-33.8647", "--lon", "151.2096", "--json")
                .Json().GetProperty("payload_id").GetString()!;
            var reply = await DeliveredReplyAsync(rider, payloadId);
            Assert.Equal(DevnetScenario.DriverMessage, reply.GetProperty("message").GetString());
            Assert.True(reply.GetProperty("paid_msat").GetUInt64() >= DevnetScenario.DriverPriceMsat);
            Assert.True(reply.GetProperty("ack_confirmed").GetBoolean());

            var down = Ok("devnet", "down", "--dir", Devnet, "--json").Json();
            Assert.All(down.GetProperty("processes").EnumerateArray(), p => Assert.Equal("stopped", p.GetProperty("how").GetString()));
            Assert.All(manifest.All, p => Assert.False(IsAlive(p.Pid), $"{p.Name} (pid {p.Pid}) still runs after `devnet down`"));
            // Each stopped cleanly (SIGTERM, not a kill), and its files stay.
            Assert.All(manifest.All, p => Assert.Contains(" stopped", File.ReadAllText(p.Log)));
            Assert.True(File.Exists(Path.Combine(Devnet, "node1", "node.key")));
        }
        finally
        {
            StopLeftovers();
        }
    }

    [Fact]
    public async Task A_second_up_is_refused_while_the_devnet_runs_and_restarts_it_on_its_keys_once_stopped()
    {
        try
        {
            var first = await UpAsync("--nodes", "2");
            var refused = AssertOneLineError(Run("devnet", "up", "--nodes", "2", "--dir", Devnet));
            Assert.Contains($"{Devnet} already has a running devnet", refused);
            // Refusing touched nothing: the same processes run, devnet.json names them.
            Assert.All(first.All, p => Assert.True(IsAlive(p.Pid), $"{p.Name} died when a second `up` was refused"));
            Assert.Equal(first.All.Select(p => p.Pid), DevnetManifest.Read(Path.Combine(Devnet, "devnet.json")).All.Select(p => p.Pid));

            Ok("devnet", "down", "--dir", Devnet);
            Assert.Contains("stopped devnet of 2 nodes", AssertOneLineError(Run("devnet", "up", "--nodes", "3", "--dir", Devnet)));
            var again = await UpAsync();
            Assert.Equal(first.All.Select(p => (p.Name, p.Identity, p.Listen, p.Url)), again.All.Select(p => (p.Name, p.Identity, p.Listen, p.Url)));
            Assert.All(again.All, p => Assert.True(IsAlive(p.Pid), $"{p.Name} is not running after the restart"));

            Ok("devnet", "down", "--dir", Devnet, "--purge");
            Assert.All(again.All, p => Assert.False(IsAlive(p.Pid), $"{p.Name} (pid {p.Pid}) still runs after `devnet down`"));
            Assert.False(Directory.Exists(Devnet));
        }
        finally
        {
            StopLeftovers();
        }
    }

    /// <summary>
    /// Issue 12 through devnet: three member processes of one relay hub (one identity, one Akka.Cluster on loopback)
    /// and five nodes each listing the hub at all three members. The rider's topic reaches the hub through several
    /// members; the hub relays it once (one member holds the topic, every other member that got it lost the claim),
    /// and the driver's reply comes back paid and opened.
    /// </summary>
    [Fact]
    public async Task Devnet_up_with_a_three_member_hub_relays_a_topic_once_and_carries_a_paid_opened_reply()
    {
        try
        {
            var manifest = await UpAsync("--nodes", "5", "--hub-members", "3");
            Assert.Equal(["lightning-hub", "hub1", "hub2", "hub3", "node1", "node2", "node3", "node4", "node5"], manifest.All.Select(p => p.Name));
            var members = manifest.All.Where(p => p.Role == "hub-member").ToList();
            Assert.Single(members.Select(m => m.Identity).Distinct());
            Assert.All(members, m => Assert.StartsWith("akka.tcp://sgossip@127.0.0.1:", m.HubMember));
            Assert.Equal(3, members.Select(m => m.Listen).Distinct().Count());
            Assert.Equal(3, members.Select(m => m.Metrics).Distinct().Count());
            Assert.Equal(3, members.Select(m => m.HubMember).Distinct().Count());
            // The summary names each member's cluster address and metrics endpoint.
            Assert.All(members, m => Assert.Contains($"metrics {m.Metrics}  cluster {m.HubMember}", LastUpOutput));
            // Every node lists the hub's one identity at every member's address.
            foreach (var node in manifest.All.Where(p => p.Kind == DevnetProcess.NodeKind && p.Role != "hub-member"))
            {
                var config = File.ReadAllText(node.Config!);
                Assert.All(members, m => Assert.Contains($"\"{m.Identity}@{m.Listen}\"", config));
            }

            var rider = manifest.All.Single(p => p.Name == "node1");
            var payloadId = Ok("topic", "broadcast", "--control", rider.Control!, "--lat", "-33.8647", "--lon", "151.2096", "--json")
                .Json().GetProperty("payload_id").GetString()!;
            var reply = await DeliveredReplyAsync(rider, payloadId);
            Assert.Equal(DevnetScenario.DriverMessage, reply.GetProperty("message").GetString());
            Assert.True(reply.GetProperty("paid_msat").GetUInt64() >= DevnetScenario.DriverPriceMsat);
            Assert.True(reply.GetProperty("ack_confirmed").GetBoolean());

            // Relayed once: when no member waits for a claim's answer, one member holds the topic and each other member
            // that accepted it from a peer said it lost the claim.
            await UntilAsync(() => Task.FromResult(members.All(m => Maps(m).GetValueOrDefault("hub-claims-pending", -1) == 0)), "every member's claims answered");
            var accepted = 0.0;
            foreach (var member in members) accepted += (await Scrape.GetAsync(member.Metrics!)).Sum("sweetgossip_topics_relayed_total");
            var lost = members.Sum(m => File.ReadLines(m.Log).Count(l => l.Contains($"payload {payloadId} not relayed here", StringComparison.Ordinal)));
            // At most one member holds the topic, live or (its relay phase over) as a settled record; none once the
            // topic has ended (a topic that carried a paid reply ends rather than settles, and a loaded machine may get there first).
            var holding = members.Sum(m => Ok("node", "status", "--control", m.Control!, "--json").Json().GetProperty("topics_in_flight").GetInt32()
                + Maps(m).GetValueOrDefault("settled-topics", 0));
            // Since a member asks every member's peers, the plain nodes usually get the topic from the hub itself and
            // offer it to no other member; when they do offer it (the rider's other links), the losers say so below.
            Assert.True(accepted >= 1, $"the topic reached no member{Logs()}");
            Assert.True(holding <= 1, $"{holding} members hold the topic{Logs()}");
            Assert.Equal(accepted - 1, lost);

            var down = Ok("devnet", "down", "--dir", Devnet, "--json").Json();
            Assert.All(down.GetProperty("processes").EnumerateArray(), p => Assert.Equal("stopped", p.GetProperty("how").GetString()));
            Assert.All(manifest.All, p => Assert.False(IsAlive(p.Pid), $"{p.Name} (pid {p.Pid}) still runs after `devnet down`"));
            Assert.All(manifest.All, p => Assert.Contains(" stopped", File.ReadAllText(p.Log)));

            // A restart brings the members back into one cluster at their pinned addresses (each seeds from all three),
            // and every node links up again.
            var again = await UpAsync();
            Assert.Equal(manifest.All.Select(p => (p.Name, p.Identity, p.Listen, p.HubMember)), again.All.Select(p => (p.Name, p.Identity, p.Listen, p.HubMember)));
            Ok("devnet", "down", "--dir", Devnet);
            Assert.All(again.All, p => Assert.False(IsAlive(p.Pid), $"{p.Name} (pid {p.Pid}) still runs after `devnet down`"));
        }
        finally
        {
            StopLeftovers();
        }
    }

    private Dictionary<string, int> Maps(DevnetProcess node) =>
        Ok("node", "status", "--control", node.Control!, "--json").Json().GetProperty("maps").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetInt32());

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with the logs after a generous wait.</summary>
    private async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        using var deadline = new CancellationTokenSource(ReplyPatience);
        while (!await condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"no {what} in {ReplyPatience.TotalSeconds} s{Logs()}");
            }
        }
    }

    /// <summary>Runs `sgossip devnet up … --dir Devnet` as its own process and returns devnet.json once it has exited.</summary>
    private async Task<DevnetManifest> UpAsync(params string[] args)
    {
        await using var up = ChildProcess.Start("devnet up", Dir, null, UpPatience, ["devnet", "up", .. args, "--dir", Devnet]);
        try
        {
            await up.WaitForExitAsync();
        }
        catch (TimeoutException e)
        {
            throw new Xunit.Sdk.XunitException(e.Message + Logs());
        }
        Assert.True(up.ExitCode == 0, $"devnet up exited with {up.ExitCode}:\n{up.Output}{Logs()}");
        LastUpOutput = up.Output;
        Assert.Contains("sgossip topic broadcast --control", up.Output);
        return DevnetManifest.Read(Path.Combine(Devnet, "devnet.json"));
    }

    /// <summary>Asks the rider's control endpoint (`sgossip replies`) until the reply to the topic is delivered: paid, opened, acknowledged.</summary>
    private async Task<JsonElement> DeliveredReplyAsync(DevnetProcess rider, string payloadId)
    {
        using var deadline = new CancellationTokenSource(ReplyPatience);
        while (true)
        {
            var replies = Ok("replies", "--control", rider.Control!, "--json").Json().GetProperty("replies").EnumerateArray();
            if (replies.FirstOrDefault(r => r.GetProperty("payload_id").GetString() == payloadId && r.GetProperty("state").GetString() == "delivered")
                is { ValueKind: JsonValueKind.Object } delivered)
                return delivered;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new Xunit.Sdk.XunitException($"no reply delivered for {payloadId} in {ReplyPatience.TotalSeconds} s{Logs()}");
            }
        }
    }

    /// <summary>True while the pid is a live process (not gone, not a zombie waiting to be reaped).</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private string Logs()
    {
        var logs = Path.Combine(Devnet, "logs");
        return Directory.Exists(logs)
            ? string.Concat(Directory.GetFiles(logs).Order().Select(f => $"\n--- {Path.GetFileName(f)}:\n{File.ReadAllText(f)}"))
            : "";
    }

    /// <summary>After a failed assertion, no node may outlive the test.</summary>
    private void StopLeftovers()
    {
        if (File.Exists(Path.Combine(Devnet, "devnet.json")))
            Run("devnet", "down", "--dir", Devnet, "--grace", "5");
    }
}
