using Akka.Configuration;
using Akka.Dispatch;

namespace SweetGossip.Simulation.Runtime;

/// <summary>
/// A dispatcher whose "thread pool" is the simulation's <see cref="RunQueue"/>: mailbox runs are queued
/// there and run by the one thread that drives the simulation. Configured by type name in HOCON
/// (<c>type = "SweetGossip.Simulation.Runtime.DeterministicDispatcherConfigurator, SweetGossip.Simulation"</c>).
/// </summary>
public sealed class DeterministicDispatcherConfigurator : MessageDispatcherConfigurator
{
    private readonly MessageDispatcher _dispatcher;

    public DeterministicDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites)
        : base(config, prerequisites)
    {
        var scheduler = prerequisites.Scheduler as VirtualTimeScheduler
            ?? throw new ConfigurationException("a deterministic dispatcher needs akka.scheduler.implementation = VirtualTimeScheduler");
        _dispatcher = new Dispatcher(this, config.GetString("id"), config.GetInt("throughput", 100), null,
            new RunQueueExecutorConfigurator(config, prerequisites, scheduler.Queue), TimeSpan.FromSeconds(1));
    }

    public override MessageDispatcher Dispatcher() => _dispatcher;

    private sealed class RunQueueExecutorConfigurator(Config config, IDispatcherPrerequisites prerequisites, RunQueue queue)
        : ExecutorServiceConfigurator(config, prerequisites)
    {
        public override ExecutorService Produce(string id) => new RunQueueExecutor(id, queue);
    }

    private sealed class RunQueueExecutor(string id, RunQueue queue) : ExecutorService(id)
    {
        public override void Execute(IRunnable run) => queue.Enqueue(run);

        public override void Shutdown() { }
    }
}
