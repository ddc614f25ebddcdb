using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Lightning.Remote;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.LightningHub;

/// <summary>
/// The hub's state, changed only by <see cref="Apply"/>-ing journaled events (<see cref="HubJournalActor"/> is the one
/// caller, live and in recovery): one <see cref="EmbeddedLightningNetwork"/> on a <see cref="HubClock"/>, its nodes by
/// name, their update logs and invoice histories. Reads come from any thread and never change anything: the clock
/// stands at the last event's time, by which every due deadline was journaled and applied, and they go to the
/// ledger directly (the network's own lookups would deliver queued callbacks on the reader's thread).
/// </summary>
internal sealed class HubLedger : IDisposable
{
    public const int MaxNameLength = 128;

    /// <summary>Most updates in one answer to a poll.</summary>
    private const int PageLimit = 1000;

    private readonly HubClock _clock = new();
    private readonly EmbeddedLightningNetwork _network;
    private readonly int _logWindow;
    private readonly object _sync = new();
    private readonly List<HubNode> _nodes = [];
    private readonly Dictionary<string, HubNode> _byName = new(StringComparer.Ordinal);

    public HubLedger(int updateLogWindow, Action<string> log)
    {
        _logWindow = updateLogWindow;
        _network = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions
        {
            TimeProvider = _clock,
            OnCallbackError = e => log($"callback failed: {e.Message}"),
        });
    }

    /// <summary>The hub's Lightning time: that of the last event applied.</summary>
    public DateTimeOffset Now => _clock.GetUtcNow();

    public ulong DepositedMsat => _network.Ledger.DepositedMsat;

    public int NodeCount
    {
        get
        {
            lock (_sync) return _nodes.Count;
        }
    }

    public bool IsDeadlineDue(DateTimeOffset now) => _network.Ledger.NextDeadline <= now;

    public HubNode? Find(string name)
    {
        lock (_sync) return _byName.GetValueOrDefault(name);
    }

    /// <exception cref="KeyNotFoundException">No node of that name.</exception>
    public HubNode Get(string name) => Find(name) ?? throw NoSuchNode(name);

    public static KeyNotFoundException NoSuchNode(string name) =>
        new($"no node named '{(name.Length > MaxNameLength ? name[..MaxNameLength] + "…" : name)}' at this hub (POST /nodes first)");

    /// <exception cref="LightningException">InvalidArgument.</exception>
    public static void CheckName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
            throw new LightningException(LightningErrorCode.InvalidArgument, $"name: 1..{MaxNameLength} printable characters");
    }

    /// <summary>The invoice an AddHoldInvoice at <paramref name="now"/> would add, signed but not added (its event carries it).</summary>
    /// <exception cref="LightningException">InvalidArgument, DuplicatePaymentHash.</exception>
    public HoldInvoice PrepareInvoice(HubNode payee, Hash32 paymentHash, ulong amountMsat, string memo, TimeSpan expiry, int cltvExpiryDelta, DateTimeOffset now) =>
        _network.PrepareHoldInvoice(payee.Lightning, paymentHash, amountMsat, memo, expiry, cltvExpiryDelta, now);

    /// <summary>
    /// Applies one event at its time and returns what it made (the <see cref="HubNode"/>, the <see cref="HoldInvoice"/>,
    /// the payment's task, or null). A refused operation throws <see cref="LightningException"/> and changes nothing, live
    /// and in replay alike.
    /// </summary>
    public object? Apply(HubEvent e)
    {
        if (e is HubDeadlinesApplied)
        {
            // Deadlines first, then the clock: a lookup in between must not find one due and apply it itself.
            _network.ExpireDue(e.At);
            _clock.MoveTo(e.At);
            return null;
        }
        _clock.MoveTo(e.At);
        switch (e)
        {
            case HubNodeOpened opened:
                return Open(opened);
            case HubInvoiceAdded added:
                return _network.AddPreparedHoldInvoice(Node(added.Payee).Lightning, added.Invoice, added.Memo);
            case HubPaymentSent sent:
                return Node(sent.Payer).Lightning.PayAsync(sent.PaymentRequest);
            case HubInvoiceSettled settled:
                Node(settled.Payee).Lightning.SettleInvoiceAsync(settled.Preimage).GetAwaiter().GetResult(); // completes at once
                return null;
            case HubInvoiceCancelled cancelled:
                Node(cancelled.Payee).Lightning.CancelInvoiceAsync(cancelled.PaymentHash).GetAwaiter().GetResult();
                return null;
            default:
                throw new ArgumentException($"not a hub event: {e.GetType().Name}", nameof(e));
        }
    }

    // ------------------------------------------------------------------ reads

    public LightningBalance Balance(HubNode node) => _network.Ledger.GetBalance(node.Index);

    /// <exception cref="LightningException">InvoiceNotFound.</exception>
    public InvoiceStatus Lookup(HubNode node, Hash32 paymentHash) => _network.Ledger.Lookup(node.Index, paymentHash, Now);

    public InvoiceUpdate? Last(HubNode node, Hash32 paymentHash) =>
        _network.Ledger.TryGetLastUpdate(node.Index, paymentHash, Now, out var update) ? update : null;

    /// <summary>The node's current invoice sequence: a new subscriber's cursor.</summary>
    public ulong Sequence(HubNode node) => _network.Ledger.InvoiceSequence(node.Index);

    public Task<PaymentResult?> Track(HubNode node, Hash32 paymentHash) => node.Lightning.TrackPaymentAsync(paymentHash);

    public Task<DecodedPaymentRequest> DecodeAsync(string paymentRequest)
    {
        // Every node of the network decodes the same way; the first one answers.
        HubNode? any;
        lock (_sync) any = _nodes.FirstOrDefault();
        return any?.Lightning.DecodePaymentRequestAsync(paymentRequest)
               ?? Task.FromException<DecodedPaymentRequest>(new LightningException(LightningErrorCode.InvalidPaymentRequest, "the hub has no node yet"));
    }

    /// <summary>
    /// The node's updates after <paramref name="after"/> (a page), waiting up to <paramref name="wait"/> for one; or, if the
    /// log no longer reaches back that far, the current state of every invoice that changed since (truncated).
    /// </summary>
    public async Task<HubUpdatesView> UpdatesAsync(HubNode node, ulong after, TimeSpan wait, CancellationToken ct)
    {
        if (Page(node, after, out var changed) is { } ready) return ready;
        try
        {
            await changed.WaitAsync(wait, ct);
        }
        catch (TimeoutException)
        {
            return new HubUpdatesView([]);
        }
        return Page(node, after, out _) ?? new HubUpdatesView([]);
    }

    private HubUpdatesView? Page(HubNode node, ulong after, out Task changed)
    {
        if (node.Log.TryRead(after, PageLimit, out var page, out changed))
            return page.Count > 0 ? new HubUpdatesView(page) : null;
        var current = _network.Ledger.LatestUpdatesAfter(node.Index, after, PageLimit, out var next);
        return new HubUpdatesView(current, Truncated: true, Next: next);
    }

    public HubState State()
    {
        HubNode[] nodes;
        lock (_sync) nodes = [.. _nodes];
        var ledger = _network.Ledger;
        string invariants;
        try
        {
            ledger.CheckInvariants();
            invariants = "ok";
        }
        catch (InvalidOperationException e)
        {
            invariants = e.Message;
        }
        var invoices = new List<HubInvoiceState>();
        foreach (var node in nodes)
        {
            foreach (var (hash, history) in node.Histories())
            {
                if (!ledger.TryLookup(node.Index, hash, Now, out var status)) continue;
                var payer = ledger.PayerOf(node.Index, hash);
                invoices.Add(new HubInvoiceState(node.Name, hash, status.State, status.AmountMsat, status.PaymentRequest,
                    payer >= 0 && payer < nodes.Length ? nodes[payer].Name : null, status.CancelReason, history));
            }
        }
        return new HubState(ledger.TotalMsat, ledger.DepositedMsat, invariants,
            nodes.Select(n =>
            {
                var balance = ledger.GetBalance(n.Index);
                return new HubNodeState(n.Name, n.NodeId, balance.AvailableMsat, balance.OutgoingLockedMsat, balance.IncomingPendingMsat, n.OpeningBalanceMsat);
            }).ToList(),
            invoices);
    }

    // ------------------------------------------------------------------ snapshots

    /// <summary>The whole hub as plain data; called by the journal between events.</summary>
    public HubSnapshot Export()
    {
        HubNode[] nodes;
        lock (_sync) nodes = [.. _nodes];
        return new HubSnapshot(Now, _network.Export(), nodes.Select(n => new HubNodeImage(n.Name, n.OpeningBalanceMsat, n.Histories())).ToList());
    }

    /// <summary>Loads a snapshot into this empty hub (checked: see <see cref="EmbeddedLightningNetwork.Import"/>). Update logs start after it.</summary>
    /// <exception cref="InvalidDataException">The snapshot is not coherent.</exception>
    public void Import(HubSnapshot snapshot)
    {
        lock (_sync)
        {
            if (_nodes.Count > 0) throw new InvalidOperationException("the hub already has nodes");
            if (snapshot.Nodes.Count != snapshot.Network.NodeKeys.Count)
                throw new InvalidDataException($"hub snapshot: {snapshot.Nodes.Count} names for {snapshot.Network.NodeKeys.Count} nodes");
            if (snapshot.Nodes.Select(n => n.Name).Distinct(StringComparer.Ordinal).Count() != snapshot.Nodes.Count)
                throw new InvalidDataException("hub snapshot: a name is registered twice");
        }
        _network.Import(snapshot.Network);
        _clock.MoveTo(snapshot.Clock);
        var lightning = _network.Nodes;
        for (var i = 0; i < lightning.Count; i++)
        {
            var image = snapshot.Nodes[i];
            var node = new HubNode(image.Name, lightning[i], image.OpeningBalanceMsat, new HubUpdateLog(_logWindow, _network.Ledger.InvoiceSequence(i)));
            node.Restore(image.Histories);
            node.Subscription = lightning[i].SubscribeInvoices(node.OnUpdate);
            lock (_sync)
            {
                _nodes.Add(node);
                _byName.Add(node.Name, node);
            }
        }
    }

    public void Dispose()
    {
        lock (_sync)
            foreach (var node in _nodes) node.Subscription?.Dispose();
        _network.Dispose();
    }

    private HubNode Open(HubNodeOpened opened)
    {
        CheckName(opened.Name);
        lock (_sync)
        {
            if (_byName.ContainsKey(opened.Name))
                throw new LightningException(LightningErrorCode.InvalidArgument, $"name '{opened.Name}' is already registered");
        }
        EmbeddedLightningNode lightning;
        try
        {
            lightning = _network.CreateNode(opened.OpeningBalanceMsat, opened.Key);
        }
        catch (Exception e) when (e is OverflowException or ArgumentException)
        {
            throw new LightningException(LightningErrorCode.InvalidArgument, $"node '{opened.Name}' cannot be opened: {e.Message}");
        }
        var node = new HubNode(opened.Name, lightning, opened.OpeningBalanceMsat, new HubUpdateLog(_logWindow, 0));
        node.Subscription = lightning.SubscribeInvoices(node.OnUpdate);
        lock (_sync)
        {
            _nodes.Add(node);
            _byName.Add(node.Name, node);
        }
        return node;
    }

    private HubNode Node(int index)
    {
        lock (_sync)
            return (uint)index < (uint)_nodes.Count ? _nodes[index] : throw new InvalidDataException($"hub journal names node {index}, but there are {_nodes.Count}");
    }
}
