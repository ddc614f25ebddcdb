using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Serialization;
using SweetGossip.Node.Dedup;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Tests.Support;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Tests.Dedup;

public class SeenPayloadsJournalTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The journal's parent: hands the recovered entries to the test.</summary>
    private sealed class Parent : ReceiveActor
    {
        public Parent(Props journal, TaskCompletionSource<SeenPayloadsRecovered> recovered, TaskCompletionSource<IActorRef> child)
        {
            Receive<SeenPayloadsRecovered>(r => recovered.TrySetResult(r));
            child.SetResult(Context.ActorOf(journal, "seen"));
        }
    }

    private static async Task<(IActorRef Journal, SeenPayloadsRecovered Recovered)> StartAsync(ActorSystem system, Action<PayloadsSeen>? onWritten = null)
    {
        var recovered = new TaskCompletionSource<SeenPayloadsRecovered>(TaskCreationOptions.RunContinuationsAsynchronously);
        var child = new TaskCompletionSource<IActorRef>(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new Parent(SeenPayloadsJournal.Props("seen-test", TimeProvider.System, onWritten), recovered, child)));
        return (await child.Task.WaitAsync(Timeout), await recovered.Task.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Payloads_seen_during_a_write_share_the_next_row_and_all_of_them_survive_a_restart()
    {
        using var directory = new TempDirectory();
        const int count = 500;
        var expires = DateTimeOffset.UtcNow.AddHours(1);
        var sent = Enumerable.Range(0, count).Select(_ => new PayloadSeen(PayloadId.New(), UnixTime.Truncate(expires))).ToList();
        var rows = new ConcurrentQueue<PayloadsSeen>();
        var allWritten = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var system = ActorSystem.Create("seen1", NodeConfig.Build(dataDirectory: directory.Path));
        try
        {
            var (journal, _) = await StartAsync(system, row =>
            {
                rows.Enqueue(row);
                if (rows.Sum(r => r.Entries.Count) == count) allWritten.TrySetResult();
            });
            foreach (var seen in sent) journal.Tell(seen);
            await allWritten.Task.WaitAsync(Timeout);
        }
        finally
        {
            await system.Terminate();
        }
        // One write at a time: the first payload alone, the rest in far fewer rows than payloads.
        Assert.True(rows.Count < count / 2, $"{rows.Count} rows for {count} payloads");
        Assert.Equal(sent.Select(s => s.PayloadId), rows.SelectMany(r => r.Entries).Select(e => e.PayloadId));

        var restarted = ActorSystem.Create("seen2", NodeConfig.Build(dataDirectory: directory.Path));
        try
        {
            var (_, recovered) = await StartAsync(restarted);
            Assert.Equal(sent.ToHashSet(), recovered.Entries.ToHashSet());
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    [Fact]
    public async Task Rows_of_one_payload_written_before_batches_still_read_and_a_batch_row_round_trips()
    {
        using var directory = new TempDirectory();
        var system = ActorSystem.Create("seen-serializer", NodeConfig.Build(dataDirectory: directory.Path));
        try
        {
            var serialization = system.Serialization;
            var one = new PayloadSeen(PayloadId.New(), DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_000));
            var serializer = (SerializerWithStringManifest)serialization.FindSerializerFor(one);
            Assert.Equal(one, serializer.FromBinary(serializer.ToBinary(one), "ps1"));

            var batch = new PayloadsSeen([one, new PayloadSeen(PayloadId.New(), DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_001))]);
            Assert.Same(serializer, serialization.FindSerializerFor(batch));
            var back = Assert.IsType<PayloadsSeen>(serializer.FromBinary(serializer.ToBinary(batch), serializer.Manifest(batch)));
            Assert.Equal(batch.Entries, back.Entries);
            Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary([], "psb1"));
            Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary(new byte[25], "psb1"));
        }
        finally
        {
            await system.Terminate();
        }
    }
}
