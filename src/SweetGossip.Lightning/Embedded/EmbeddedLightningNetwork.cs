using System.Security.Cryptography;
using System.Text;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Embedded;

/// <summary>
/// An in-process Lightning network with real hold-invoice semantics: the default
/// <see cref="ILightningNode"/> implementation for nodes, tests and the simulator.
///
/// <para><b>Model.</b> Every node is an account of one <see cref="EmbeddedLedger"/> plus a secp256k1 key.
/// There is no channel graph and no routing: any node pays any other directly, as if every pair shared
/// a channel with unlimited capacity and the payer's balance were its only limit. That is enough for
/// Sweet-Gossip, whose payment chain is made of one-hop payments between neighbours (each middleman
/// pays the next hop itself), and it keeps 100k-node simulations cheap. A routing fee (base + ppm,
/// default 0) may be charged per payment; it goes to the network's fee pot.</para>
///
/// <para><b>Determinism.</b> No threads are started and nothing is random except generated keys and
/// payment secrets, which come from <see cref="EmbeddedNetworkOptions.Seed"/> when given. Time comes
/// from <see cref="EmbeddedNetworkOptions.TimeProvider"/>; deadlines are applied by <see cref="ExpireDue"/>
/// (or lazily, when an operation touches an overdue invoice), or periodically after
/// <see cref="StartExpiryTimer"/>.</para>
///
/// <para><b>Callbacks.</b> Invoice updates and payment completions are delivered after the ledger's
/// lock is released, in the order they happened, by whichever thread is running an operation; an
/// operation started from inside a callback queues its own events behind the current ones (no
/// re-entrancy, no unbounded recursion along a payment chain). A payment's task completes on that
/// thread (continuations run inline unless a synchronization context captures them).</para>
/// </summary>
public sealed partial class EmbeddedLightningNetwork : IDisposable
{
    /// <summary>Longest memo: a BOLT 11 <c>d</c> field holds 639 bytes of UTF-8.</summary>
    public const int MaxMemoBytes = 639;

    /// <summary>Largest accepted CLTV delta, LND's default maximum HTLC timelock (about two weeks).</summary>
    public const int MaxCltvExpiryDelta = 2016;

    /// <summary>Longest invoice expiry accepted.</summary>
    public static readonly TimeSpan MaxInvoiceExpiry = TimeSpan.FromDays(365);

    private const int MaxDecodedCacheEntries = 65_536;

    private readonly EmbeddedNetworkOptions _options;
    private readonly TimeProvider _time;
    private readonly EmbeddedLedger _ledger;
    private readonly object _sync;
    private readonly List<EmbeddedLightningNode> _nodes = [];
    private readonly Dictionary<LightningNodeId, EmbeddedLightningNode> _byId = [];
    private readonly Dictionary<(int Account, Hash32 Hash), Subscription[]> _single = [];
    private readonly Dictionary<string, DecodedPaymentRequest> _decoded = new(StringComparer.Ordinal);
    // Each node's payments by hash, so a payer that restarted can find out how a payment ended (TrackPayment).
    private readonly Dictionary<(int Payer, Hash32 Hash), PaymentCompletion> _payments = [];
    private readonly Queue<Delivery> _queue = new();
    private readonly List<ITimer> _timers = [];
    private readonly Random? _random;
    private readonly object _randomLock = new();
    private bool _draining;
    private long _callbackErrors;

    public EmbeddedLightningNetwork(EmbeddedNetworkOptions? options = null)
    {
        _options = options ?? new EmbeddedNetworkOptions();
        _time = _options.TimeProvider ?? throw new ArgumentException("TimeProvider is required", nameof(options));
        _ledger = new EmbeddedLedger(
            new Observer(this), _options.BlockInterval, _options.RoutingFeeBaseMsat, _options.RoutingFeePpm);
        _sync = _ledger.SyncRoot;
        _random = _options.Seed is { } seed ? new Random(seed) : null;
    }

    public EmbeddedNetworkOptions Options => _options;

    /// <summary>The books, for inspection (balances, invariants, pruning).</summary>
    public EmbeddedLedger Ledger => _ledger;

    public TimeProvider TimeProvider => _time;

    /// <summary>All money in the network: balances, locked HTLCs and collected fees. Constant after the nodes are created.</summary>
    public ulong TotalMsat => _ledger.TotalMsat;

    /// <summary>Exceptions thrown by subscriber callbacks so far (they are caught, see <see cref="EmbeddedNetworkOptions.OnCallbackError"/>).</summary>
    public long CallbackErrorCount => Interlocked.Read(ref _callbackErrors);

    public IReadOnlyList<EmbeddedLightningNode> Nodes
    {
        get
        {
            lock (_sync)
            {
                return _nodes.ToArray();
            }
        }
    }

    /// <summary>
    /// Creates a node holding <paramref name="initialBalanceMsat"/>. Without a key, one is generated
    /// (from the seed, if the options give one).
    /// </summary>
    /// <exception cref="ArgumentException">The key is already used by another node of this network.</exception>
    public EmbeddedLightningNode CreateNode(ulong initialBalanceMsat, Protocol.Crypto.PrivateKey? key = null)
    {
        var secret = key?.ToBytes() ?? NewSecretKey();
        LightningNodeId? id = key is null ? null : LightningNodeId.FromPrivateKey(key);
        EmbeddedLightningNode node;
        lock (_sync)
        {
            if (id is { } known && _byId.ContainsKey(known))
            {
                throw new ArgumentException($"node {known} already exists in this network", nameof(key));
            }

            var index = _ledger.OpenAccount(initialBalanceMsat);
            node = new EmbeddedLightningNode(this, index, secret, id);
            _nodes.Add(node);
            if (id is { } given)
            {
                _byId.Add(given, node);
            }
        }

        return node;
    }

    /// <summary>The node with this id, if it is part of this network and its id has been derived (see <see cref="EmbeddedLightningNode.NodeId"/>).</summary>
    public bool TryGetNode(LightningNodeId nodeId, out EmbeddedLightningNode node)
    {
        lock (_sync)
        {
            return _byId.TryGetValue(nodeId, out node!);
        }
    }

    /// <summary>
    /// Applies every deadline that has passed by the clock's now: expired Open invoices and timed-out
    /// Accepted invoices are cancelled and their payers refunded. Returns how many invoices it cancelled.
    /// </summary>
    public int ExpireDue() => ExpireDue(_time.GetUtcNow());

    /// <summary>
    /// As <see cref="ExpireDue()"/> at a given time, for an owner of time that moves its clock only after the
    /// deadlines up to the new time are applied (a journal's replay, the Lightning hub), so that no lookup in
    /// between applies one of them on its own.
    /// </summary>
    public int ExpireDue(DateTimeOffset now)
    {
        var expired = _ledger.ExpireDue(now);
        Pump();
        return expired;
    }

    /// <summary>
    /// Calls <see cref="ExpireDue"/> every <paramref name="period"/> on the TimeProvider's timer, until
    /// the returned handle or the network is disposed. Callbacks then also run on the timer's thread.
    /// </summary>
    public IDisposable StartExpiryTimer(TimeSpan period)
    {
        if (period <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(period), "period must be positive");
        }

        var timer = _time.CreateTimer(static state => ((EmbeddedLightningNetwork)state!).ExpireDue(), this, period, period);
        lock (_timers)
        {
            _timers.Add(timer);
        }

        return timer;
    }

    /// <summary>Forgets Settled/Cancelled invoices resolved before the given time (see <see cref="EmbeddedLedger.PruneResolved"/>).</summary>
    public int PruneResolvedInvoices(DateTimeOffset resolvedBefore)
    {
        var pruned = _ledger.PruneResolved(resolvedBefore);
        lock (_sync)
        {
            _decoded.Clear();
            foreach (var key in _payments.Where(p => p.Value.Final is not null).Select(p => p.Key).ToList())
                _payments.Remove(key);
        }

        return pruned;
    }

    public void Dispose()
    {
        ITimer[] timers;
        lock (_timers)
        {
            timers = [.. _timers];
            _timers.Clear();
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }

    internal void Register(EmbeddedLightningNode node, LightningNodeId id)
    {
        lock (_sync)
        {
            if (_byId.TryGetValue(id, out var existing) && !ReferenceEquals(existing, node))
            {
                throw new ArgumentException($"node {id} already exists in this network");
            }

            _byId[id] = node;
        }
    }

    internal HoldInvoice AddHoldInvoice(
        EmbeddedLightningNode node, Hash32 paymentHash, ulong amountMsat, string memo, TimeSpan expiry, int cltvExpiryDelta) =>
        AddPreparedHoldInvoice(node, PrepareHoldInvoice(node, paymentHash, amountMsat, memo, expiry, cltvExpiryDelta, _time.GetUtcNow()), memo);

    /// <summary>
    /// The invoice <see cref="EmbeddedLightningNode.AddHoldInvoiceAsync"/> would add at <paramref name="now"/>: checked,
    /// encoded and signed (with a fresh payment secret), but not added. <see cref="AddPreparedHoldInvoice"/> adds it;
    /// a journal records it in between, so that replaying adds the very same string.
    /// </summary>
    /// <exception cref="LightningException">InvalidArgument, DuplicatePaymentHash.</exception>
    public HoldInvoice PrepareHoldInvoice(
        EmbeddedLightningNode node, Hash32 paymentHash, ulong amountMsat, string memo, TimeSpan expiry, int cltvExpiryDelta, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(memo);
        if (amountMsat == 0)
        {
            throw new LightningException(LightningErrorCode.InvalidArgument, "invoice amount must be positive");
        }

        if (expiry <= TimeSpan.Zero || expiry > MaxInvoiceExpiry)
        {
            throw new LightningException(LightningErrorCode.InvalidArgument, $"expiry must be in (0, {MaxInvoiceExpiry.TotalDays} days], got {expiry}");
        }

        if (cltvExpiryDelta < 1 || cltvExpiryDelta > MaxCltvExpiryDelta)
        {
            throw new LightningException(LightningErrorCode.InvalidArgument, $"cltv expiry delta must be in [1, {MaxCltvExpiryDelta}], got {cltvExpiryDelta}");
        }

        if (Encoding.UTF8.GetByteCount(memo) > MaxMemoBytes)
        {
            throw new LightningException(LightningErrorCode.InvalidArgument, $"memo is longer than {MaxMemoBytes} bytes of UTF-8");
        }

        // Checked again under the lock by AddInvoice; checking first saves signing an invoice we then refuse.
        if (_ledger.HasInvoice(node.Index, paymentHash))
        {
            throw new LightningException(LightningErrorCode.DuplicatePaymentHash, $"an invoice with payment hash {paymentHash} already exists");
        }

        // BOLT 11 carries whole seconds: the invoice's times are exactly what its string says.
        var createdAt = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var expirySeconds = (ulong)Math.Ceiling(expiry.TotalSeconds);
        var expiresAt = createdAt.AddSeconds(expirySeconds);

        Span<byte> paymentSecret = stackalloc byte[32];
        FillRandom(paymentSecret);
        var request = EmbeddedPaymentRequests.Encode(
            _options.SignInvoices, node, paymentHash, amountMsat, memo, createdAt, expirySeconds, cltvExpiryDelta, paymentSecret);
        return new HoldInvoice(request, paymentHash, amountMsat, createdAt, expiresAt, cltvExpiryDelta, node.NodeId);
    }

    /// <summary>Adds an invoice made by <see cref="PrepareHoldInvoice"/> for <paramref name="node"/>, at the clock's now.</summary>
    /// <exception cref="LightningException">DuplicatePaymentHash, InvalidArgument.</exception>
    public HoldInvoice AddPreparedHoldInvoice(EmbeddedLightningNode node, HoldInvoice invoice, string memo)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(invoice);
        if (!ReferenceEquals(node.Network, this) || invoice.Payee != node.NodeId)
        {
            throw new LightningException(LightningErrorCode.InvalidArgument, "the invoice was prepared for another node");
        }

        try
        {
            _ledger.AddInvoice(
                node.Index, invoice.PaymentHash, invoice.AmountMsat, memo, invoice.PaymentRequest, invoice.CreatedAt, invoice.ExpiresAt, invoice.CltvExpiryDelta, _time.GetUtcNow());
        }
        finally
        {
            Pump();
        }

        return invoice;
    }

    internal InvoiceStatus Lookup(EmbeddedLightningNode node, Hash32 paymentHash)
    {
        try
        {
            return _ledger.Lookup(node.Index, paymentHash, _time.GetUtcNow());
        }
        finally
        {
            Pump();
        }
    }

    internal bool TryLookup(EmbeddedLightningNode node, Hash32 paymentHash, out InvoiceStatus status)
    {
        try
        {
            return _ledger.TryLookup(node.Index, paymentHash, _time.GetUtcNow(), out status);
        }
        finally
        {
            Pump();
        }
    }

    internal void Settle(EmbeddedLightningNode node, Hash32 preimage)
    {
        try
        {
            _ledger.Settle(node.Index, preimage, _time.GetUtcNow());
        }
        finally
        {
            Pump();
        }
    }

    internal void Cancel(EmbeddedLightningNode node, Hash32 paymentHash)
    {
        try
        {
            _ledger.Cancel(node.Index, paymentHash, _time.GetUtcNow());
        }
        finally
        {
            Pump();
        }
    }

    internal Task<PaymentResult> Pay(EmbeddedLightningNode payer, string paymentRequest)
    {
        var completion = new PaymentCompletion();
        PaymentResult? immediate;
        try
        {
            // Fast path: an invoice of this network, found by its exact string; nothing to decode or verify.
            if (!_ledger.TryPayRequest(payer.Index, paymentRequest, completion, _time.GetUtcNow(), out immediate))
            {
                immediate = PayForeign(payer, paymentRequest, completion);
            }
        }
        finally
        {
            Pump();
        }

        var payment = immediate is null ? completion : PaymentCompletion.Completed(immediate);
        if (_options.TrackPayments && (immediate?.PaymentHash ?? HashOf(paymentRequest)) is { } hash)
        {
            lock (_sync)
            {
                // A refused retry (e.g. AlreadyPaid) must not hide the payment that is really in flight or done.
                if (!_payments.TryGetValue((payer.Index, hash), out var earlier) || earlier.Final is { Succeeded: false })
                    _payments[(payer.Index, hash)] = payment;
            }
        }

        return payment.Task;
    }

    /// <summary>The payment this node made under a hash (its final result when done), or null if it made none.</summary>
    internal Task<PaymentResult?> Track(EmbeddedLightningNode payer, Hash32 paymentHash)
    {
        PaymentCompletion? payment;
        lock (_sync)
        {
            _payments.TryGetValue((payer.Index, paymentHash), out payment);
        }

        return payment is null ? Task.FromResult<PaymentResult?>(null) : payment.Task.ContinueWith(t => (PaymentResult?)t.Result, TaskContinuationOptions.ExecuteSynchronously);
    }

    private Hash32? HashOf(string paymentRequest)
    {
        try
        {
            return Decode(paymentRequest).PaymentHash;
        }
        catch (LightningException)
        {
            return null;
        }
    }

    internal DecodedPaymentRequest Decode(string paymentRequest)
    {
        if (_ledger.TryFindRequest(paymentRequest, out var payee, out var status))
        {
            EmbeddedLightningNode node;
            lock (_sync)
            {
                node = _nodes[payee];
            }

            return new DecodedPaymentRequest(
                node.NodeId, status.PaymentHash, status.AmountMsat, status.Memo, status.CreatedAt, status.ExpiresAt, status.CltvExpiryDelta);
        }

        lock (_sync)
        {
            if (_decoded.TryGetValue(paymentRequest, out var cached))
            {
                return cached;
            }
        }

        if (!EmbeddedPaymentRequests.TryDecode(paymentRequest, out var decoded, out var error))
        {
            throw new LightningException(LightningErrorCode.InvalidPaymentRequest, $"invalid payment request: {error}");
        }

        lock (_sync)
        {
            if (_decoded.Count >= MaxDecodedCacheEntries)
            {
                _decoded.Clear();
            }

            _decoded[paymentRequest] = decoded!;
        }

        return decoded!;
    }

    internal IDisposable Subscribe(EmbeddedLightningNode node, Hash32? paymentHash, Action<InvoiceUpdate> onUpdate)
    {
        ArgumentNullException.ThrowIfNull(onUpdate);
        var subscription = new Subscription(this, node, paymentHash, onUpdate);
        lock (_sync)
        {
            if (paymentHash is { } hash)
            {
                // As LND's SubscribeSingleInvoice: the current state first, then every later change exactly once,
                // in order. Read before registering (reading may apply an overdue expiry, whose update must not
                // also reach this subscriber), and queued under the same lock as the registration.
                if (_ledger.TryGetLastUpdate(node.Index, hash, _time.GetUtcNow(), out var current))
                {
                    _queue.Enqueue(Delivery.ForOne(subscription, current));
                }

                var key = (node.Index, hash);
                _single[key] = _single.TryGetValue(key, out var existing) ? [.. existing, subscription] : [subscription];
            }
            else
            {
                node.Subscribers = [.. node.Subscribers, subscription];
            }
        }

        Pump();
        return subscription;
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_sync)
        {
            if (subscription.PaymentHash is { } hash)
            {
                var key = (subscription.Node.Index, hash);
                if (_single.TryGetValue(key, out var existing))
                {
                    var remaining = existing.Where(s => !ReferenceEquals(s, subscription)).ToArray();
                    if (remaining.Length == 0)
                    {
                        _single.Remove(key);
                    }
                    else
                    {
                        _single[key] = remaining;
                    }
                }
            }
            else
            {
                subscription.Node.Subscribers = subscription.Node.Subscribers.Where(s => !ReferenceEquals(s, subscription)).ToArray();
            }
        }
    }

    private PaymentResult? PayForeign(EmbeddedLightningNode payer, string paymentRequest, PaymentCompletion completion)
    {
        DecodedPaymentRequest decoded;
        try
        {
            decoded = Decode(paymentRequest);
        }
        catch (LightningException e)
        {
            return PaymentResult.Failure(default, 0, PaymentFailureReason.InvalidInvoice, e.Message);
        }

        if (decoded.AmountMsat == 0)
        {
            return PaymentResult.Failure(decoded.PaymentHash, 0, PaymentFailureReason.InvalidInvoice, "invoice has no amount");
        }

        if (!TryGetNode(decoded.Payee, out var payee))
        {
            return PaymentResult.Failure(
                decoded.PaymentHash, decoded.AmountMsat, PaymentFailureReason.UnknownPayee, $"payee {decoded.Payee} is not in this network");
        }

        return _ledger.Pay(payer.Index, payee.Index, decoded.PaymentHash, decoded.AmountMsat, completion, _time.GetUtcNow());
    }

    /// <summary>
    /// Delivers queued events outside the lock. Only one thread delivers at a time; others (and
    /// operations started from callbacks) just queue, and the delivering thread picks their events up.
    /// </summary>
    private void Pump()
    {
        lock (_sync)
        {
            if (_draining || _queue.Count == 0)
            {
                return;
            }

            _draining = true;
        }

        // Deliver without the caller's synchronization context, so that ConfigureAwait(false) continuations of
        // completed payments run inline here (deterministically) instead of being queued to the thread pool.
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            while (true)
            {
                Delivery delivery;
                lock (_sync)
                {
                    if (!_queue.TryDequeue(out delivery))
                    {
                        _draining = false;
                        return;
                    }
                }

                Deliver(delivery);
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    private void Deliver(in Delivery delivery)
    {
        if (delivery.Payment is { } payment)
        {
            payment.TrySetResult(delivery.Result!);
            return;
        }

        var update = delivery.Update!;
        if (delivery.Only is { } only)
        {
            Invoke(only, update);
            return;
        }

        foreach (var subscription in delivery.All ?? [])
        {
            Invoke(subscription, update);
        }

        foreach (var subscription in delivery.Single ?? [])
        {
            Invoke(subscription, update);
        }
    }

    private void Invoke(Subscription subscription, InvoiceUpdate update)
    {
        if (subscription.IsDisposed)
        {
            return;
        }

        try
        {
            subscription.Callback(update);
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _callbackErrors);
            try
            {
                _options.OnCallbackError?.Invoke(e);
            }
            catch
            {
                // A failing error handler must not stop delivery either.
            }
        }
    }

    private byte[] NewSecretKey()
    {
        var secret = new byte[32];
        do
        {
            FillRandom(secret);
        }
        while (!Protocol.Crypto.PrivateKey.IsValid(secret));

        return secret;
    }

    private void FillRandom(Span<byte> destination)
    {
        if (_random is null)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }

        lock (_randomLock)
        {
            _random.NextBytes(destination);
        }
    }

    internal sealed class Subscription(
        EmbeddedLightningNetwork network, EmbeddedLightningNode node, Hash32? paymentHash, Action<InvoiceUpdate> callback) : IDisposable
    {
        private volatile bool _disposed;

        public EmbeddedLightningNode Node => node;

        public Hash32? PaymentHash => paymentHash;

        public Action<InvoiceUpdate> Callback => callback;

        public bool IsDisposed => _disposed;

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            network.Unsubscribe(this);
        }
    }

    private readonly struct Delivery
    {
        public Subscription[]? All { get; private init; }

        public Subscription[]? Single { get; private init; }

        public Subscription? Only { get; private init; }

        public InvoiceUpdate? Update { get; private init; }

        public TaskCompletionSource<PaymentResult>? Payment { get; private init; }

        public PaymentResult? Result { get; private init; }

        public static Delivery ForSubscribers(Subscription[] all, Subscription[]? single, InvoiceUpdate update) =>
            new() { All = all, Single = single, Update = update };

        public static Delivery ForOne(Subscription subscription, InvoiceUpdate update) =>
            new() { Only = subscription, Update = update };

        public static Delivery ForPayment(TaskCompletionSource<PaymentResult> payment, PaymentResult result) =>
            new() { Payment = payment, Result = result };
    }

    /// <summary>A payment's task, and its final result as soon as the ledger resolves it (set under the ledger's lock).</summary>
    private sealed class PaymentCompletion : TaskCompletionSource<PaymentResult>
    {
        public PaymentResult? Final { get; set; }

        public static PaymentCompletion Completed(PaymentResult result)
        {
            var completion = new PaymentCompletion { Final = result };
            completion.SetResult(result);
            return completion;
        }
    }

    /// <summary>Runs under the ledger's lock: resolves the subscribers at the moment of the change and queues.</summary>
    private sealed class Observer(EmbeddedLightningNetwork network) : ILedgerObserver
    {
        public void OnInvoiceUpdate(int account, InvoiceUpdate update)
        {
            var all = network._nodes[account].Subscribers;
            network._single.TryGetValue((account, update.PaymentHash), out var single);
            if (all.Length > 0 || single is not null)
            {
                network._queue.Enqueue(Delivery.ForSubscribers(all, single, update));
            }
        }

        public void OnPaymentResolved(int payer, object? payment, PaymentResult result)
        {
            if (payment is PaymentCompletion completion)
            {
                // Known final under the lock, before the task completes outside it: an Export in between sees it.
                completion.Final = result;
                network._queue.Enqueue(Delivery.ForPayment(completion, result));
            }
        }
    }
}
