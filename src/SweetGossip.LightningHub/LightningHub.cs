using Akka.Actor;
using SweetGossip.Lightning.Port;
using SweetGossip.Lightning.Remote;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.LightningHub;

/// <summary>
/// `sgossip ln hub`'s state, as its HTTP face (<see cref="HubServer"/>) sees it: one embedded Lightning network whose
/// nodes are known by name, kept in a journal. Every change goes through the journal (<see cref="HubJournalActor"/>)
/// and is answered once it is written; reads (balances, lookups, update logs, payment tracking) come straight from
/// the <see cref="HubLedger"/>.
/// </summary>
public sealed class LightningHub
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(30);

    private readonly HubLedger _ledger;
    private readonly IActorRef _journal;

    private readonly Action<string> _log;

    private LightningHub(HubLedger ledger, IActorRef journal, Task stopped, Action<string> log) => (_ledger, _journal, Stopped, _log) = (ledger, journal, stopped, log);

    /// <summary>Completes if the journal stops (it could not write, or a bug): the hub must not answer any more.</summary>
    public Task Stopped { get; }

    /// <summary>Starts the journal in <paramref name="system"/>, replays it and returns once the hub is as it was.</summary>
    /// <exception cref="InvalidDataException">The journal cannot be replayed.</exception>
    internal static async Task<(LightningHub Hub, HubRecovery Recovery)> StartAsync(ActorSystem system, HubSettings settings, Action<string> log)
    {
        var ledger = new HubLedger(settings.UpdateLogWindow, log);
        var recovered = new TaskCompletionSource<HubRecovery>(TaskCreationOptions.RunContinuationsAsynchronously);
        var journal = system.ActorOf(HubJournalActor.Props(ledger, TimeProvider.System, settings.SnapshotEvery, recovered), HubJournalActor.JournalId);
        var stopped = journal.WatchAsync();
        var recovery = await recovered.Task;
        _ = stopped.ContinueWith(_ => ledger.Dispose(), TaskScheduler.Default);
        return (new LightningHub(ledger, journal, stopped, log), recovery);
    }

    /// <summary>The node of this name, created with <paramref name="openingBalanceMsat"/> if new; a known name gets its node back unchanged.</summary>
    public async Task<HubNodeView> RegisterAsync(string name, ulong openingBalanceMsat)
    {
        var view = (HubNodeView)(await AskAsync(new OpenHubNode(name, openingBalanceMsat)))!;
        _log(view.Created
            ? $"node {name} created: {view.NodeId} with {openingBalanceMsat} msat"
            : $"node {name} reconnected: {view.NodeId}, available {_ledger.Balance(_ledger.Get(name)).AvailableMsat} msat");
        return view;
    }

    public async Task<HoldInvoice> AddInvoiceAsync(string name, Hash32 paymentHash, ulong amountMsat, string memo, TimeSpan expiry, int cltvExpiryDelta) =>
        (HoldInvoice)(await AskAsync(new AddHubInvoice(name, paymentHash, amountMsat, memo, expiry, cltvExpiryDelta)))!;

    /// <summary>Pays from <paramref name="name"/>; returns once the payment is journaled, with a task of its final result.</summary>
    public async Task<Task<PaymentResult>> PayAsync(string name, string paymentRequest)
    {
        var payment = (Task<PaymentResult>)(await AskAsync(new PayFromHub(name, paymentRequest)))!;
        return Detached(payment);
    }

    public Task SettleAsync(string name, Hash32 preimage) => AskAsync(new SettleAtHub(name, preimage));

    public Task CancelAsync(string name, Hash32 paymentHash) => AskAsync(new CancelAtHub(name, paymentHash));

    /// <exception cref="KeyNotFoundException">No node of that name.</exception>
    public LightningBalance Balance(string name) => _ledger.Balance(_ledger.Get(name));

    /// <exception cref="LightningException">InvoiceNotFound.</exception>
    public InvoiceStatus Lookup(string name, Hash32 paymentHash) => _ledger.Lookup(_ledger.Get(name), paymentHash);

    /// <summary>The invoice's latest update (null if the node has none under that hash): SubscribeSingleInvoice's first delivery.</summary>
    public InvoiceUpdate? Last(string name, Hash32 paymentHash) => _ledger.Last(_ledger.Get(name), paymentHash);

    /// <summary>The payment the node made under this hash: its final result when done; null if it made none.</summary>
    public Task<PaymentResult?> TrackAsync(string name, Hash32 paymentHash) => Detached(_ledger.Track(_ledger.Get(name), paymentHash));

    public Task<DecodedPaymentRequest> DecodeAsync(string paymentRequest) => _ledger.DecodeAsync(paymentRequest);

    public Task<HubUpdatesView> UpdatesAsync(string name, ulong after, TimeSpan wait, CancellationToken ct) => _ledger.UpdatesAsync(_ledger.Get(name), after, wait, ct);

    public HubState State() => _ledger.State();

    private async Task<object?> AskAsync(HubCommand command)
    {
        if (Stopped.IsCompleted) throw new HubUnavailableException("the hub's journal has stopped");
        object answer;
        try
        {
            answer = await _journal.Ask<object>(command, AskTimeout);
        }
        catch (AskTimeoutException)
        {
            throw new HubUnavailableException($"the hub's journal did not answer within {AskTimeout.TotalSeconds:0} s");
        }
        return answer switch
        {
            HubAnswer done => done.Value,
            HubRefusal refused => throw refused.Error,
            _ => throw new InvalidOperationException($"unexpected answer from the hub's journal: {answer.GetType().Name}"),
        };
    }

    // Payment tasks complete on the journal's thread (inside the embedded network): their awaiters must run elsewhere.
    private static Task<T> Detached<T>(Task<T> task) => task.ContinueWith(t => t.Result, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
}

/// <summary>The hub cannot take a change now (its journal stopped or is stuck): HTTP 503, and a client may retry.</summary>
public sealed class HubUnavailableException(string message) : Exception(message);
