using Akka.Actor;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Tests.Support;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Tests.Settlement;

/// <summary>
/// One embedded Lightning network (the "outside world", it survives actor-system restarts) and an actor
/// system whose settlement actors journal to a SQLite file in a temp directory.
/// </summary>
public sealed class SettlementHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly TempDirectory _directory = new();

    public SettlementHarness()
    {
        Clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_790_000_000));
        Network = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions { TimeProvider = Clock, Seed = 42 });
        System = StartSystem();
    }

    public ManualTimeProvider Clock { get; }

    public EmbeddedLightningNetwork Network { get; }

    public ActorSystem System { get; private set; }

    public string DatabaseFile => Path.Combine(_directory.Path, "journal.db");

    public ActorSystem StartSystem() =>
        ActorSystem.Create("settlement-" + Guid.NewGuid().ToString("N")[..8], NodeConfig.Build(dataDirectory: _directory.Path));

    /// <summary>Simulates a crash of the node process: the actor system dies, Lightning lives on, the journal stays.</summary>
    public async Task CrashAndRestartAsync()
    {
        await System.Terminate();
        System = StartSystem();
    }

    /// <summary>Starts a new actor system on the same journal after the old one was terminated.</summary>
    public void StartSystemInto() => System = StartSystem();

    /// <summary>Settings for tests: the sweep only when a test sends one (the clock is manual), short Lightning timeouts.</summary>
    public static SettlementSettings Settings { get; } = SettlementSettings.Default with
    {
        SweepInterval = TimeSpan.FromHours(1), LightningCallTimeout = TimeSpan.FromSeconds(5), PaymentWait = TimeSpan.FromSeconds(5),
    };

    public IActorRef Settlement(string name, ILightningNode node, SettlementSettings? settings = null) =>
        System.ActorOf(SettlementActor.Props("settlement-" + name, node, Clock, settings ?? Settings), name);

    public static Task<T> Ask<T>(IActorRef actor, object message) => actor.Ask<T>(message, Timeout);

    /// <summary>Completes when the node's invoice under <paramref name="hash"/> reaches <paramref name="state"/>.</summary>
    public static Task<InvoiceStatus> WhenInvoice(ILightningNode node, Hash32 hash, InvoiceState state)
    {
        var reached = new TaskCompletionSource<InvoiceStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        IDisposable? subscription = null;
        subscription = node.SubscribeSingleInvoice(hash, update =>
        {
            if (update.State == state && reached.TrySetResult(update.Invoice))
                subscription?.Dispose();
        });
        return reached.Task.WaitAsync(Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await System.Terminate();
        Network.Dispose();
        _directory.Dispose();
    }
}
