using Akka.Persistence.Journal;
using SweetGossip.Node.Core;

namespace SweetGossip.Node.Tests.Core;

/// <summary>
/// A restarted node decides nothing until its journals are read back: what reaches it meanwhile waits, and can outlive its
/// timeout (a chaos-matrix round on CI: a middleman read its journals back 11 s after `node run` said ready, a topic
/// originated at once, and its neighbour's 10 s ask expired in its stash). `node run` says ready only after
/// <see cref="NodeHost.WhenRecoveredAsync"/>.
/// </summary>
public class NodeRecoveryTests
{
    private const string GatedJournalConfig = """
        akka.persistence.journal.plugin = "akka.persistence.journal.gated"
        akka.persistence.journal.gated {
          class = "SweetGossip.Node.Tests.Core.GatedJournal, SweetGossip.Node.Tests"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        """;

    [Fact]
    public async Task A_node_is_recovered_only_once_its_journals_are_read_back()
    {
        var (net, _, recovered) = await StartWithJournalHeldAsync("restarted");
        await using var _net = net;
        // A negative: it must not complete while the journal is held (a window; it never completes before the gate opens).
        var first = await Task.WhenAny(recovered, Task.Delay(TimeSpan.FromSeconds(3)));
        Assert.False(first == recovered, $"recovered while its journal was held ({recovered.Status})");

        GatedJournal.Open();
        await recovered.WaitAsync(InProcessNetwork.Timeout);
        // Both the settlement's and the seen payloads' reads went through the gate.
        Assert.True(GatedJournal.Reads >= 2, $"{GatedJournal.Reads} journal reads");
    }

    [Fact]
    public async Task A_node_that_stops_while_reading_its_journals_back_is_reported_as_stopped_not_as_slow()
    {
        var (net, node, recovered) = await StartWithJournalHeldAsync("stopping");
        await using var _net = net;
        node.Guardian.Tell(Akka.Actor.PoisonPill.Instance, Akka.Actor.ActorRefs.NoSender);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => recovered.WaitAsync(InProcessNetwork.Timeout));
        Assert.Equal("the node stopped while reading its journals back", error.Message);
        GatedJournal.Open();
    }

    /// <summary>A node on TCP whose journal reads are held; <see cref="NodeHost.WhenRecoveredAsync"/> started once they are.</summary>
    private static async Task<(InProcessNetwork Net, RunningNode Node, Task Recovered)> StartWithJournalHeldAsync(string name)
    {
        GatedJournal.Close();
        var net = new InProcessNetwork(config: GatedJournalConfig);
        var node = await net.StartTcpAsync(name, 0);
        await GatedJournal.Reading.WaitAsync(InProcessNetwork.Timeout);
        return (net, node.Running, NodeHost.WhenRecoveredAsync(node.Running, ownSettlement: true, InProcessNetwork.Timeout));
    }
}

/// <summary>A memory journal whose reads wait for the test to open it (writes pass).</summary>
public sealed class GatedJournal : MemoryJournal
{
    private static TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static int _reads;

    public static Task Reading => _reading.Task;

    public static int Reads => Volatile.Read(ref _reads);

    public static void Close()
    {
        _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _reads = 0;
    }

    public static void Open() => _gate.TrySetResult();

    public override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _reads);
        _reading.TrySetResult();
        await _gate.Task.WaitAsync(cancellationToken);
        return await base.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);
    }
}
