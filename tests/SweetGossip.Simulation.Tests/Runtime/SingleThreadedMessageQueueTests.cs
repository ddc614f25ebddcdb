using Akka.Actor;
using FsCheck.Xunit;
using SweetGossip.Simulation.Partitioned;
using SweetGossip.Simulation.Runtime;

namespace SweetGossip.Simulation.Tests.Runtime;

/// <summary>
/// The simulator's mailbox keeps its first message in a field and makes a queue only while more wait: it must still
/// hand messages over in the order they came, however enqueues and dequeues interleave, or a seeded run would move.
/// </summary>
public sealed class SingleThreadedMessageQueueTests
{
    /// <summary>Each step: true enqueues the next number, false dequeues one; the queue must agree with a plain FIFO.</summary>
    [Property(MaxTest = 300)]
    public bool Messages_leave_in_the_order_they_came(bool[] steps)
    {
        var queue = new SingleThreadedMessageQueue();
        var model = new Queue<int>();
        var next = 0;
        foreach (var enqueue in steps)
        {
            if (enqueue)
            {
                queue.Enqueue(ActorRefs.Nobody, new Envelope(next, ActorRefs.NoSender));
                model.Enqueue(next++);
            }
            else
            {
                var got = queue.TryDequeue(out var envelope);
                if (got != model.TryDequeue(out var expected) || (got && (int)envelope.Message != expected)) return false;
            }
            if (queue.Count != model.Count || queue.HasMessages != model.Count > 0) return false;
        }
        var left = new TestDeadLetters();
        queue.CleanUp(ActorRefs.Nobody, left);
        return left.Messages.SequenceEqual(model) && !queue.HasMessages;
    }

    [Fact]
    public void The_partitioned_mailbox_keeps_the_same_order()
    {
        var queue = new NodeTaggedMessageQueue(3);
        foreach (var m in new[] { 1, 2, 3 }) queue.Enqueue(ActorRefs.Nobody, new Envelope(m, ActorRefs.NoSender));
        Assert.True(queue.TryDequeue(out var first));
        queue.Enqueue(ActorRefs.Nobody, new Envelope(4, ActorRefs.NoSender));
        var rest = new List<object>();
        while (queue.TryDequeue(out var e)) rest.Add(e.Message);
        Assert.Equal(1, first.Message);
        Assert.Equal(new object[] { 2, 3, 4 }, rest);
        Assert.Equal(3, queue.Node);
    }

    private sealed class TestDeadLetters : Akka.Dispatch.MessageQueues.IMessageQueue
    {
        public List<int> Messages { get; } = [];

        public bool HasMessages => Messages.Count > 0;

        public int Count => Messages.Count;

        public void Enqueue(IActorRef receiver, Envelope envelope) => Messages.Add((int)envelope.Message);

        public bool TryDequeue(out Envelope envelope) => throw new NotSupportedException();

        public void CleanUp(IActorRef owner, Akka.Dispatch.MessageQueues.IMessageQueue deadletters) { }
    }
}
