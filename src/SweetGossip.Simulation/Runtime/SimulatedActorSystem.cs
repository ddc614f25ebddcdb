using Akka.Actor;
using Akka.Configuration;

namespace SweetGossip.Simulation.Runtime;

/// <summary>
/// An Akka actor system that runs on one thread and virtual time: every dispatcher queues onto one
/// <see cref="RunQueue"/>, the scheduler is a <see cref="VirtualTimeScheduler"/>, persistence answers at
/// once from memory. Nothing happens until <see cref="RunUntil"/> drives it: that thread runs all queued
/// work, then moves the clock to the next timer, and so on. Same inputs, same order, same results.
/// </summary>
public sealed class SimulatedActorSystem : IDisposable
{
    private const string DispatcherType = "\"SweetGossip.Simulation.Runtime.DeterministicDispatcherConfigurator, SweetGossip.Simulation\"";

    private SimulatedActorSystem(ActorSystem system)
    {
        System = system;
        Scheduler = (VirtualTimeScheduler)system.Scheduler;
        Clock = new VirtualClock(Scheduler);
    }

    public ActorSystem System { get; }

    public VirtualTimeScheduler Scheduler { get; }

    public VirtualClock Clock { get; }

    public RunQueue Queue => Scheduler.Queue;

    /// <summary>Simulation time now (time since the start).</summary>
    public TimeSpan Elapsed => Scheduler.Elapsed;

    /// <param name="start">The wall-clock instant simulation time 0 stands for.</param>
    /// <param name="logLevel">Akka log level (printed to standard out): OFF, ERROR, WARNING, INFO, DEBUG.</param>
    /// <param name="extraConfig">More HOCON, as a fallback (e.g. serializers of the node).</param>
    /// <param name="overrides">HOCON that takes precedence over this system's own settings.</param>
    public static SimulatedActorSystem Create(string name, DateTimeOffset start, string logLevel = "ERROR", Config? extraConfig = null, Config? overrides = null)
    {
        var hocon = $$"""
            akka {
              loglevel = {{logLevel}}
              stdout-loglevel = {{logLevel}}
              loggers = ["Akka.Event.StandardOutLogger, Akka"]
              log-dead-letters = off
              log-dead-letters-during-shutdown = off
              # Many systems live and die in one process (tests, sweeps): none may hook process exit.
              coordinated-shutdown.run-by-clr-shutdown-hook = off
              scheduler.implementation = "SweetGossip.Simulation.Runtime.VirtualTimeScheduler, SweetGossip.Simulation"
              actor {
                default-mailbox.mailbox-type = "SweetGossip.Simulation.Runtime.SingleThreadedMailbox, SweetGossip.Simulation"
                # Actors that stash get a plain deque too (Akka's concurrent one costs about 1 KB per actor).
                mailbox.unbounded-deque-based.mailbox-type = "SweetGossip.Simulation.Runtime.SingleThreadedDequeMailbox, SweetGossip.Simulation"
                default-dispatcher { type = {{DispatcherType}}, throughput = 100 }
                internal-dispatcher { type = {{DispatcherType}}, throughput = 100 }
                default-blocking-io-dispatcher { type = {{DispatcherType}}, throughput = 100 }
              }
              persistence {
                journal.plugin = "sweetgossip.simulation.journal"
                snapshot-store.plugin = "sweetgossip.simulation.snapshot-store"
                journal.auto-start-journals = []
                snapshot-store.auto-start-snapshot-stores = []
                dispatchers {
                  default-plugin-dispatcher { type = {{DispatcherType}} }
                  default-replay-dispatcher { type = {{DispatcherType}} }
                  default-stream-dispatcher { type = {{DispatcherType}} }
                }
              }
            }
            sweetgossip {
              pow-dispatcher { type = {{DispatcherType}}, throughput = 1 }
              simulation {
                start-unix-ms = {{start.ToUnixTimeMilliseconds()}}
                journal { class = "SweetGossip.Simulation.Runtime.SimulationJournal, SweetGossip.Simulation", plugin-dispatcher = "akka.actor.default-dispatcher" }
                snapshot-store { class = "SweetGossip.Simulation.Runtime.SimulationSnapshotStore, SweetGossip.Simulation", plugin-dispatcher = "akka.actor.default-dispatcher" }
              }
            }
            """;
        var config = ConfigurationFactory.ParseString(hocon);
        if (extraConfig is not null) config = config.WithFallback(extraConfig);
        if (overrides is not null) config = overrides.WithFallback(config);
        var simulated = new SimulatedActorSystem(ActorSystem.Create(name, config));
        simulated.Queue.Drain();
        return simulated;
    }

    /// <summary>Runs all work due up to <paramref name="until"/> (time since the start), then leaves the clock there.</summary>
    /// <param name="onStep">Called between steps (after each instant's work), e.g. to report progress.</param>
    public void RunUntil(TimeSpan until, Action<TimeSpan>? onStep = null)
    {
        Queue.Drain();
        while (Scheduler.FireNext(until))
        {
            Queue.Drain();
            onStep?.Invoke(Scheduler.Elapsed);
        }
        Queue.Drain();
    }

    /// <summary>Runs queued work without moving the clock.</summary>
    public void RunPending() => Queue.Drain();

    /// <summary>
    /// Leaves the system to the garbage collector without stopping its actors: it owns no thread, so once
    /// unreferenced it is simply gone. Stopping a network of 100,000 nodes actor by actor costs more time
    /// and memory than the run's end is worth; use <see cref="Dispose"/> where stop hooks must run.
    /// </summary>
    public void Abandon()
    {
        Queue.Clear();
        Scheduler.Clear();
    }

    /// <summary>Terminates the actor system, driving it until it has stopped (bounded by simulated time).</summary>
    public void Dispose()
    {
        var terminated = System.Terminate();
        var limit = Scheduler.Elapsed + TimeSpan.FromMinutes(5);
        while (!terminated.IsCompleted)
        {
            Queue.Drain();
            if (terminated.IsCompleted || !Scheduler.FireNext(limit)) break;
        }
        Queue.Drain();
    }
}
