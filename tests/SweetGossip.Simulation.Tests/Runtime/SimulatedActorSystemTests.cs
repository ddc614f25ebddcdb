using Akka.Actor;
using Akka.Persistence;
using SweetGossip.Simulation.Runtime;

namespace SweetGossip.Simulation.Tests.Runtime;

/// <summary>The simulation's actor system: one thread, virtual time, persistence that answers at once.</summary>
public sealed class SimulatedActorSystemTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    private sealed class Recorder : ReceiveActor
    {
        public Recorder(List<string> log, TimeProvider clock) =>
            ReceiveAny(m => log.Add($"{(clock.GetUtcNow() - Start).TotalSeconds:0.###}:{m}"));
    }

    private sealed class Ticker : ReceiveActor, IWithTimers
    {
        public Ticker(IActorRef to)
        {
            Receive<string>(s => s == "tick", _ => to.Tell("tick"));
        }

        public ITimerScheduler Timers { get; set; } = null!;

        protected override void PreStart() => Timers.StartPeriodicTimer("t", "tick", TimeSpan.FromSeconds(10));
    }

    private sealed class Counter : ReceivePersistentActor
    {
        private int _count;

        public Counter(string id, IActorRef report)
        {
            PersistenceId = id;
            Recover<int>(n => _count += n);
            Command<int>(n => Persist(n, e => { _count += e; report.Tell(_count); }));
            Command<string>(s => s == "get", _ => report.Tell(_count));
        }

        public override string PersistenceId { get; }
    }

    private sealed class Gate : ReceiveActor, IWithUnboundedStash
    {
        public Gate(List<string> log)
        {
            Receive<string>(s => s == "open", _ =>
            {
                Become(() => ReceiveAny(m => log.Add($"{m}")));
                Stash.UnstashAll();
            });
            ReceiveAny(_ => Stash.Stash());
        }

        public IStash Stash { get; set; } = null!;
    }

    [Fact]
    public void An_actor_that_stashes_gets_the_plain_deque_mailbox_and_its_unstashed_messages_come_first_in_order()
    {
        var sim = SimulatedActorSystem.Create("t0", Start);
        var log = new List<string>();
        var gate = sim.System.ActorOf(Props.Create(() => new Gate(log)));
        gate.Tell(1);
        gate.Tell(2);
        gate.Tell("open");
        gate.Tell(3);
        sim.RunPending();

        Assert.Equal(["1", "2", "3"], log);
        var cell = (ActorCell)((ActorRefWithCell)gate).Underlying;
        Assert.IsType<SingleThreadedDequeMessageQueue>(cell.Mailbox!.MessageQueue);
        sim.Dispose();
    }

    [Fact]
    public void Timers_fire_at_virtual_times_in_the_order_they_were_set_and_cost_no_wall_time()
    {
        var sim = SimulatedActorSystem.Create("t1", Start);
        var log = new List<string>();
        var recorder = sim.System.ActorOf(Props.Create(() => new Recorder(log, sim.Clock)));
        sim.System.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(5), recorder, "b", ActorRefs.NoSender);
        sim.System.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(5), recorder, "c", ActorRefs.NoSender);
        sim.System.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), recorder, "a", ActorRefs.NoSender);
        var cancelled = sim.System.Scheduler.ScheduleTellOnceCancelable(TimeSpan.FromSeconds(2), recorder, "never", ActorRefs.NoSender);
        cancelled.Cancel();
        sim.System.ActorOf(Props.Create(() => new Ticker(recorder)));

        sim.RunUntil(TimeSpan.FromHours(1));

        Assert.Equal(["1:a", "5:b", "5:c", "10:tick", "20:tick", "30:tick"], log.Take(6));
        Assert.Equal(360 + 3, log.Count); // a tick every 10 s for an hour, plus a, b, c
        Assert.Equal(TimeSpan.FromHours(1), sim.Elapsed);
        Assert.Equal(0, sim.Queue.ForeignEnqueues);
        sim.Dispose();
    }

    [Fact]
    public void A_cancelled_timer_lets_go_of_its_message_and_the_rest_fire_as_before()
    {
        var sim = SimulatedActorSystem.Create("t-cancel", Start);
        var log = new List<string>();
        var recorder = sim.System.ActorOf(Props.Create(() => new Recorder(log, sim.Clock)));
        var held = CancelledHolding(sim, recorder);
        sim.System.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(5), recorder, "after", ActorRefs.NoSender);
        // Enough additions for a sweep of the queue (one per as many additions as are queued, at least 1,024).
        for (var i = 0; i < 1_100; i++) sim.System.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(2 + i % 2), recorder, i % 2, ActorRefs.NoSender);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        Assert.False(held.IsAlive); // before: queued until its time (an hour on), holding its message and receiver

        var steps = new List<TimeSpan>();
        sim.RunUntil(TimeSpan.FromHours(2), steps.Add);
        Assert.Equal(["2:0", "2:0"], log.Take(2)); // i = 0, 2, 4 … at 2 s, then the odd ones at 3 s
        Assert.Equal("5:after", log[^1]);
        Assert.Equal(1_101, log.Count);
        // The cancelled item's instant is still a step of the clock (as when it stayed whole): the clock moves as before.
        Assert.Contains(TimeSpan.FromHours(1), steps);
        sim.Dispose();
    }

    // Its own method, so no local of the test holds the message.
    private static WeakReference CancelledHolding(SimulatedActorSystem sim, IActorRef recorder)
    {
        var message = new byte[1_000];
        sim.System.Scheduler.ScheduleTellOnceCancelable(TimeSpan.FromHours(1), recorder, message, ActorRefs.NoSender).Cancel();
        return new WeakReference(message);
    }

    [Fact]
    public void Persistent_actors_write_and_recover_through_the_in_memory_journal()
    {
        var sim = SimulatedActorSystem.Create("t2", Start);
        var log = new List<string>();
        var recorder = sim.System.ActorOf(Props.Create(() => new Recorder(log, sim.Clock)));
        var counter = sim.System.ActorOf(Props.Create(() => new Counter("c-1", recorder)));
        counter.Tell(2);
        counter.Tell(3);
        sim.RunPending();
        sim.System.Stop(counter);
        sim.RunPending();

        var again = sim.System.ActorOf(Props.Create(() => new Counter("c-1", recorder)));
        again.Tell("get");
        sim.RunPending();

        Assert.Equal(["0:2", "0:5", "0:5"], log);
        sim.Dispose();
    }

    [Fact]
    public void Work_queued_from_another_thread_is_counted()
    {
        var queue = new RunQueue();
        queue.Drain(); // this thread owns the queue from now on
        var ran = 0;
        var other = new Thread(() => queue.Post(_ => ran++, null));
        other.Start();
        other.Join();
        queue.Drain();
        Assert.Equal(1, ran);
        Assert.Equal(1, queue.ForeignEnqueues);
    }
}
