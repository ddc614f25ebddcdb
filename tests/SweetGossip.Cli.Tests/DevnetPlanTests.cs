using System.Diagnostics;
using SweetGossip.Cli.Devnet;

namespace SweetGossip.Cli.Tests;

/// <summary>`devnet` without processes: the plan's shape, its refusals, and what `down` will not do with a doctored devnet.json.</summary>
public class DevnetPlanTests : CliTestBase
{
    [Fact]
    public void Every_node_dials_at_most_two_identities_started_before_it_and_the_network_is_connected()
    {
        for (var n = DevnetPlan.MinNodes; n <= DevnetPlan.MaxNodes; n++)
        {
            foreach (int? hub in (int?[])[null, 1, 3, DevnetPlan.MaxHubMembers])
            {
                var plan = DevnetPlan.Create(n, hub);
                var names = plan.Members.Select(m => m.Name).ToList();
                Assert.Equal(n + (hub ?? 0), names.Count);
                Assert.Equal(DevnetRole.Rider, plan.Members.Single(m => m.Name == "node1").Role);
                Assert.Equal(DevnetRole.TaxiDriver, plan.Members.Single(m => m.Name == $"node{n}").Role);
                foreach (var (member, index) in plan.Members.Select((m, i) => (m, i)))
                {
                    // A hub is one identity, listed at every member's address.
                    var identities = member.Dials.Count(d => !d.StartsWith("hub", StringComparison.Ordinal)) + (member.Dials.Any(d => d.StartsWith("hub", StringComparison.Ordinal)) ? 1 : 0);
                    Assert.True(identities <= 2, $"{member.Name} dials {identities} identities");
                    if (hub is { } members && member.Role != DevnetRole.HubMember)
                        Assert.Equal(members, member.Dials.Count(d => d.StartsWith("hub", StringComparison.Ordinal)));
                    Assert.All(member.Dials, d => Assert.True(names.IndexOf(d) is >= 0 and var at && at < index, $"{member.Name} dials {d}, not started before it"));
                }
                Assert.Equal(names.Count, Reachable(plan, "node1"));
            }
        }
    }

    [Theory]
    [InlineData("--nodes", "1", "--nodes: must be 2..64")]
    [InlineData("--nodes", "65", "--nodes: must be 2..64")]
    [InlineData("--hub-members", "0", "--hub-members: must be 1..16")]
    [InlineData("--hub-members", "17", "--hub-members: must be 1..16")]
    public void A_devnet_it_cannot_run_is_refused_before_anything_is_written(string option, string value, string error)
    {
        var dir = PathOf("devnet");
        Assert.StartsWith($"error: {error}", AssertOneLineError(Run("devnet", "up", option, value, "--dir", dir)));
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Nodes_list_every_hub_member_starting_at_different_members_and_a_hub_counts_as_one_link()
    {
        var plan = DevnetPlan.Create(5, 3);
        var dials = plan.Members.ToDictionary(m => m.Name, m => m.Dials);
        Assert.Equal(["hub1", "hub2", "hub3"], dials["node1"]);
        Assert.Equal(["hub2", "hub3", "hub1", "node1"], dials["node2"]);
        Assert.Equal(["hub3", "hub1", "hub2", "node2"], dials["node3"]);
        Assert.Equal(["hub1", "hub2", "hub3", "node3"], dials["node4"]);
        string IdentityOf(string name) => name.StartsWith("hub", StringComparison.Ordinal) ? "hub" : name;
        // node2: the hub once (whichever member) and node1; node3 dials it.
        Assert.Equal(3, DevnetPlan.LinksOf(["node2"], dials, IdentityOf));
        // The members together: one link per node.
        Assert.Equal(5, DevnetPlan.LinksOf(["hub1", "hub2", "hub3"], dials, IdentityOf));
    }

    [Fact]
    public void Up_into_a_directory_holding_other_files_is_refused_and_leaves_nothing_there()
    {
        var dir = PathOf("mine");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "mine");
        Assert.Contains("is not empty", AssertOneLineError(Run("devnet", "up", "--nodes", "2", "--dir", dir)));
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Down_where_there_is_no_devnet_says_so()
    {
        Directory.CreateDirectory(PathOf("empty"));
        Assert.Equal($"error: no devnet in {PathOf("empty")} (no devnet.json)", AssertOneLineError(Run("devnet", "down", "--dir", PathOf("empty"))));
    }

    /// <summary>
    /// devnet.json outlives its processes: days later a recorded pid may belong to another program. `down` signals a pid
    /// only while its start time is the recorded one; without that check it would SIGTERM this unrelated `sleep`.
    /// </summary>
    [Fact]
    public async Task A_recycled_pid_in_devnet_json_is_never_signalled()
    {
        using var unrelated = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        try
        {
            var identity = ProcessIdentity.Of(unrelated.Id)!.Value;
            var dir = PathOf("devnet");
            Directory.CreateDirectory(dir);
            Manifest(dir, new DevnetProcess("node1", DevnetProcess.NodeKind, "rider", unrelated.Id, identity.StartStamp + "1", Path.Combine(dir, "node1.log")));
            var down = Ok("devnet", "down", "--dir", dir, "--grace", "1", "--json").Json();
            Assert.Equal("not running", down.GetProperty("processes")[0].GetProperty("how").GetString());
            Assert.False(unrelated.HasExited);
            Assert.True(identity.IsRunning);
        }
        finally
        {
            unrelated.Kill();
            await unrelated.WaitForExitAsync();
        }
    }

    /// <summary>A process name in devnet.json becomes a folder name for --purge: a doctored "../victim" must not delete outside the devnet.</summary>
    [Fact]
    public void A_devnet_json_naming_a_path_cannot_make_purge_delete_outside_the_devnet()
    {
        var victim = PathOf("victim");
        Directory.CreateDirectory(victim);
        File.WriteAllText(Path.Combine(victim, "precious.txt"), "keep");
        var dir = PathOf("devnet");
        Directory.CreateDirectory(dir);
        Manifest(dir, new DevnetProcess("../victim", DevnetProcess.NodeKind, "rider", 424242, "1", Path.Combine(dir, "x.log")));
        Assert.Contains("'../victim' is not a devnet process name", AssertOneLineError(Run("devnet", "down", "--dir", dir, "--purge")));
        Assert.True(File.Exists(Path.Combine(victim, "precious.txt")));
    }

    private static void Manifest(string dir, params DevnetProcess[] processes) =>
        new DevnetManifest(DevnetManifest.FileType, dir, "2026-01-01T00:00:00Z", Path.Combine(dir, "authority.ca"), "00", 0, processes, [])
            .Write(Path.Combine(dir, "devnet.json"));

    private static int Reachable(DevnetPlan plan, string from)
    {
        var links = plan.Members.SelectMany(m => m.Dials.SelectMany(d => new[] { (m.Name, d), (d, m.Name) })).ToLookup(l => l.Item1, l => l.Item2);
        var seen = new HashSet<string> { from };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var name))
            foreach (var next in links[name])
                if (seen.Add(next)) queue.Enqueue(next);
        return seen.Count;
    }
}
