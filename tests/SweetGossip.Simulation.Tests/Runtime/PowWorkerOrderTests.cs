using Akka.Actor;
using Akka.Dispatch;
using SweetGossip.Node.Pow;
using SweetGossip.Simulation.Runtime;

namespace SweetGossip.Simulation.Tests.Runtime;

/// <summary>
/// A simulator node's PoW worker without an actor (<see cref="PowWorkerRef"/>) must leave a simulation's order of work as
/// the worker actor left it, or seeded results would move: its answers reach their topics in the same runs, between the
/// same other work. Solving as it is told, or all its jobs in one run, would not.
/// </summary>
public sealed class PowWorkerOrderTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Logs what it hears; told "x", it also tells <paramref name="next"/> "z" (work that lands between two jobs).</summary>
    private sealed class Recorder(string name, List<string> log, IActorRef? next) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            log.Add(name + ":" + (message is PowSolved s ? "solved " + s.Correlation : message));
            if (message is "x") next?.Tell("z");
        }
    }

    /// <summary>Told "go": four jobs for the worker (the first answered to R1, the rest to R2), then a word to each recorder.</summary>
    private sealed class Driver(IActorRef worker, IActorRef first, IActorRef second) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            worker.Tell(new SolvePow(new byte[32], 4, "j1"), first);
            worker.Tell(new SolvePow(Enumerable.Repeat((byte)7, 32).ToArray(), 4, "j2"), second);
            worker.Tell(new SolvePow(Enumerable.Repeat((byte)9, 32).ToArray(), 4, "j3"), second);
            worker.Tell(new SolvePow(Enumerable.Repeat((byte)11, 32).ToArray(), 4, "j4"), second);
            first.Tell("x");
            second.Tell("y");
        }
    }

    private static List<string> Run(Func<SimulatedActorSystem, IActorRef> worker)
    {
        using var sim = SimulatedActorSystem.Create("pow-order", Start);
        var log = new List<string>();
        var second = sim.System.ActorOf(Props.Create(() => new Recorder("R2", log, null)), "R2");
        var first = sim.System.ActorOf(Props.Create(() => new Recorder("R1", log, second)), "R1");
        var driver = sim.System.ActorOf(Props.Create(() => new Driver(worker(sim), first, second)), "D");
        sim.RunPending();
        // Every run from the driver's turn on (a mailbox's or the reference's): as many runs, between the same answers.
        sim.Queue.BeforeRun = run => log.Add(run switch
        {
            Mailbox { Dispatcher.Id: "sweetgossip.pow-dispatcher" } or not Mailbox => Worker,
            Mailbox { Dispatcher.Id: "akka.actor.internal-dispatcher" } => SystemRun,
            _ => ActorRun,
        });
        driver.Tell("go");
        sim.RunPending();
        return WithoutSystemRuns(log);
    }

    private const string Worker = "worker run", ActorRun = "run", SystemRun = "system run";

    /// <summary>
    /// The actor system's own start-up work can reach the queue late on a loaded machine (its loggers and system actors):
    /// such runs, and any other run on the default dispatcher that logged nothing (the driver's, a system actor's), are
    /// left out, in both logs alike.
    /// </summary>
    private static List<string> WithoutSystemRuns(List<string> log) =>
        [.. log.Where((entry, i) => entry != SystemRun && (entry != ActorRun || (i + 1 < log.Count && log[i + 1] is not (ActorRun or Worker or SystemRun))))];

    [Fact]
    public void Jobs_are_answered_in_the_runs_the_worker_actor_answered_them_in()
    {
        var byActor = Run(sim => sim.System.ActorOf(PowWorker.Pool(1, null, sim.Clock)));
        var byReference = Run(sim => new PowWorkerRef(sim.System, sim.System.DeadLetters.Path.Root / "user", null, sim.Clock));

        // The runs as the worker's mailbox made them: two jobs in its first run (Akka 1.5 takes throughput + 1), R1's "z"
        // to R2 after the second answer, the last two jobs in a run after R2's.
        Assert.Equal(["R1:x", "R1:solved j1", "R2:y", "R2:solved j2", "R2:z", "R2:solved j3", "R2:solved j4"], byActor.Where(e => e is not (ActorRun or Worker)));
        Assert.Equal(byActor, byReference);
    }
}
