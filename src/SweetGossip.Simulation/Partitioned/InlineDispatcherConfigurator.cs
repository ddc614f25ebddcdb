using Akka.Configuration;
using Akka.Dispatch;

namespace SweetGossip.Simulation.Partitioned;

/// <summary>
/// A dispatcher that runs a mailbox at once, on the thread that queued to it. A partitioned run puts its
/// in-memory journal and snapshot store on it: they answer like a function call, so a node's persistence
/// replies come at the same point of its own work whichever other nodes share the partition (one shared
/// journal actor would order them by its mailbox, which the other nodes' work moves).
/// </summary>
public sealed class InlineDispatcherConfigurator : MessageDispatcherConfigurator
{
    private readonly MessageDispatcher _dispatcher;

    public InlineDispatcherConfigurator(Config config, IDispatcherPrerequisites prerequisites)
        : base(config, prerequisites)
    {
        _dispatcher = new Dispatcher(this, config.GetString("id"), config.GetInt("throughput", 100), null,
            new InlineExecutorConfigurator(config, prerequisites), TimeSpan.FromSeconds(1));
    }

    public override MessageDispatcher Dispatcher() => _dispatcher;

    private sealed class InlineExecutorConfigurator(Config config, IDispatcherPrerequisites prerequisites)
        : ExecutorServiceConfigurator(config, prerequisites)
    {
        public override ExecutorService Produce(string id) => new InlineExecutor(id);
    }

    private sealed class InlineExecutor(string id) : ExecutorService(id)
    {
        public override void Execute(IRunnable run) => run.Run();

        public override void Shutdown() { }
    }
}
