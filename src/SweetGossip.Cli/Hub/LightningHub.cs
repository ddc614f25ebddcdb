using System.Text.Json;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Lightning.Remote;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cli.Hub;

/// <summary>
/// The state of `sgossip ln hub`: one <see cref="EmbeddedLightningNetwork"/> (real hold-invoice semantics,
/// signed regtest invoices, an expiry timer) whose nodes are known by name, plus, per node, the log of
/// every invoice update (so a remote subscriber resumes from a sequence number and misses nothing) and the
/// payments it made through the hub (so a payer that restarted learns how they ended).
/// The HTTP face is <see cref="HubServer"/>.
/// </summary>
public sealed class LightningHub : IDisposable
{
    private const string KeysFile = "hub-nodes.json";

    private readonly EmbeddedLightningNetwork _network;
    private readonly IDisposable _expiry;
    private readonly string? _dataDirectory;
    private readonly object _sync = new();
    private readonly Dictionary<string, HubNode> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal); // name → secret key hex, saved in --data
    private readonly Dictionary<(int Payee, Hash32 Hash), string> _payers = []; // an invoice → name of the node that paid it through the hub

    /// <param name="dataDirectory">Where the node keys by name are kept, so a restarted hub gives every name the same node id. Null: in memory.</param>
    public LightningHub(string? dataDirectory, TimeProvider? clock = null, Action<string>? log = null)
    {
        _network = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions
        {
            TimeProvider = clock ?? TimeProvider.System,
            OnCallbackError = e => log?.Invoke($"callback failed: {e.Message}"),
        });
        _expiry = _network.StartExpiryTimer(TimeSpan.FromSeconds(1));
        Log = log ?? (_ => { });
        _dataDirectory = dataDirectory;
        if (dataDirectory is not null)
        {
            Directory.CreateDirectory(dataDirectory);
            var path = Path.Combine(dataDirectory, KeysFile);
            if (File.Exists(path))
                foreach (var (name, key) in JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? [])
                    _keys[name] = key;
        }
    }

    public Action<string> Log { get; }

    public EmbeddedLightningNetwork Network => _network;

    /// <summary>The node of this name, created with <paramref name="openingBalanceMsat"/> if new; a known name gets its node back unchanged.</summary>
    public HubNodeView Register(string name, ulong openingBalanceMsat)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 128 || name.Any(char.IsControl))
            throw new LightningException(LightningErrorCode.InvalidArgument, "name: 1..128 printable characters");
        HubNode node;
        bool created;
        lock (_sync)
        {
            created = !_byName.TryGetValue(name, out node!);
            if (created)
            {
                var key = _keys.TryGetValue(name, out var hex) ? PrivateKey.FromBytes(Convert.FromHexString(hex)) : PrivateKey.Generate();
                var embedded = _network.CreateNode(openingBalanceMsat, key);
                node = new HubNode(name, embedded, openingBalanceMsat);
                node.Subscription = embedded.SubscribeInvoices(node.Append);
                _byName.Add(name, node);
                if (!_keys.ContainsKey(name))
                {
                    _keys[name] = Convert.ToHexStringLower(key.ToBytes());
                    SaveKeys();
                }
            }
        }
        Log(created
            ? $"node {name} created: {node.Lightning.NodeId} with {openingBalanceMsat} msat"
            : $"node {name} reconnected: {node.Lightning.NodeId}, available {node.Lightning.Balance.AvailableMsat} msat");
        return new HubNodeView(name, node.Lightning.NodeId, created, node.LastSequence);
    }

    /// <exception cref="KeyNotFoundException">No node of that name.</exception>
    public HubNode Get(string name)
    {
        lock (_sync)
            return _byName.TryGetValue(name, out var node) ? node : throw new KeyNotFoundException($"no node named '{name}' at this hub (POST /nodes first)");
    }

    /// <summary>Pays from <paramref name="payer"/>; the task completes with the final state.</summary>
    public Task<PaymentResult> Pay(HubNode payer, string paymentRequest)
    {
        var task = payer.Lightning.PayAsync(paymentRequest);
        if (_network.Ledger.TryFindRequest(paymentRequest, out var payee, out var status) && status.State != InvoiceState.Open)
        {
            lock (_sync)
                _payers.TryAdd((payee, status.PaymentHash), payer.Name);
        }
        return task;
    }

    public HubState State()
    {
        HubNode[] nodes;
        Dictionary<(int, Hash32), string> payers;
        lock (_sync)
        {
            nodes = [.. _byName.Values.OrderBy(n => n.Lightning.Index)];
            payers = new Dictionary<(int, Hash32), string>(_payers);
        }
        string invariants;
        try
        {
            _network.Ledger.CheckInvariants();
            invariants = "ok";
        }
        catch (InvalidOperationException e)
        {
            invariants = e.Message;
        }
        var invoices = new List<HubInvoiceState>();
        foreach (var node in nodes)
            invoices.AddRange(node.Invoices(payers));
        return new HubState(_network.TotalMsat, _network.Ledger.DepositedMsat, invariants,
            nodes.Select(n =>
            {
                var balance = n.Lightning.Balance;
                return new HubNodeState(n.Name, n.Lightning.NodeId, balance.AvailableMsat, balance.OutgoingLockedMsat, balance.IncomingPendingMsat, n.OpeningBalanceMsat);
            }).ToList(),
            invoices);
    }

    public void Dispose()
    {
        _expiry.Dispose();
        lock (_sync)
            foreach (var node in _byName.Values) node.Subscription?.Dispose();
        _network.Dispose();
    }

    private void SaveKeys()
    {
        if (_dataDirectory is null) return;
        var path = Path.Combine(_dataDirectory, KeysFile);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(_keys, new JsonSerializerOptions { WriteIndented = true }));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite); // secret keys: the owner's only
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>One named node of the hub and the log of its invoice updates.</summary>
public sealed class HubNode(string name, EmbeddedLightningNode lightning, ulong openingBalanceMsat)
{
    private readonly object _sync = new();
    private readonly List<InvoiceUpdate> _log = [];
    private readonly Dictionary<Hash32, List<InvoiceUpdate>> _byHash = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Name => name;

    public EmbeddedLightningNode Lightning => lightning;

    public ulong OpeningBalanceMsat => openingBalanceMsat;

    internal IDisposable? Subscription { get; set; }

    public ulong LastSequence
    {
        get
        {
            lock (_sync) return _log.Count == 0 ? 0 : _log[^1].Sequence;
        }
    }

    /// <summary>The latest update of one invoice, or null if the node has none under that hash.</summary>
    public InvoiceUpdate? Last(Hash32 paymentHash)
    {
        lock (_sync) return _byHash.TryGetValue(paymentHash, out var updates) ? updates[^1] : null;
    }

    /// <summary>Every update after <paramref name="after"/>, waiting up to <paramref name="wait"/> for the first if there is none yet.</summary>
    public async Task<IReadOnlyList<InvoiceUpdate>> UpdatesAfterAsync(ulong after, TimeSpan wait, CancellationToken ct)
    {
        Task changed;
        lock (_sync)
        {
            if (Since(after) is { Count: > 0 } ready) return ready;
            changed = _changed.Task;
        }
        try
        {
            await changed.WaitAsync(wait, ct);
        }
        catch (TimeoutException)
        {
            return [];
        }
        lock (_sync) return Since(after);
    }

    internal void Append(InvoiceUpdate update)
    {
        TaskCompletionSource changed;
        lock (_sync)
        {
            _log.Add(update);
            if (!_byHash.TryGetValue(update.PaymentHash, out var updates))
                _byHash[update.PaymentHash] = updates = [];
            updates.Add(update);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    internal IEnumerable<HubInvoiceState> Invoices(IReadOnlyDictionary<(int, Hash32), string> payers)
    {
        lock (_sync)
            return _byHash.Values.Select(updates =>
            {
                var last = updates[^1].Invoice;
                return new HubInvoiceState(name, last.PaymentHash, last.State, last.AmountMsat, last.PaymentRequest,
                    payers.GetValueOrDefault((lightning.Index, last.PaymentHash)), last.CancelReason, updates.Select(u => u.State).ToList());
            }).ToList();
    }

    // Sequences grow by one per update, so the log is indexed by sequence − the first one.
    private List<InvoiceUpdate> Since(ulong after)
    {
        if (_log.Count == 0 || after >= _log[^1].Sequence) return [];
        var start = after < _log[0].Sequence ? 0 : (int)(after - _log[0].Sequence + 1);
        return _log.GetRange(start, _log.Count - start);
    }
}
