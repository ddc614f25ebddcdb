using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.LightningHub;

/// <summary>One named node of the hub: its embedded Lightning node, its bounded update log and each invoice's history.</summary>
public sealed class HubNode
{
    private readonly object _sync = new();
    private readonly Dictionary<Hash32, List<InvoiceState>> _histories = [];

    internal HubNode(string name, EmbeddedLightningNode lightning, ulong openingBalanceMsat, HubUpdateLog log)
    {
        (Name, Lightning, OpeningBalanceMsat, Log) = (name, lightning, openingBalanceMsat, log);
    }

    public string Name { get; }

    public ulong OpeningBalanceMsat { get; }

    public LightningNodeId NodeId => Lightning.NodeId;

    /// <summary>Its ledger account (node i of the network).</summary>
    public int Index => Lightning.Index;

    internal EmbeddedLightningNode Lightning { get; }

    internal HubUpdateLog Log { get; }

    internal IDisposable? Subscription { get; set; }

    /// <summary>The node's subscription to its own invoices: every update goes to the log and the invoice's history.</summary>
    internal void OnUpdate(InvoiceUpdate update)
    {
        Log.Append(update);
        lock (_sync)
        {
            if (!_histories.TryGetValue(update.PaymentHash, out var history))
                _histories[update.PaymentHash] = history = [];
            history.Add(update.State);
        }
    }

    internal IReadOnlyDictionary<Hash32, IReadOnlyList<InvoiceState>> Histories()
    {
        lock (_sync) return _histories.ToDictionary(h => h.Key, h => (IReadOnlyList<InvoiceState>)h.Value.ToArray());
    }

    internal void Restore(IReadOnlyDictionary<Hash32, IReadOnlyList<InvoiceState>> histories)
    {
        lock (_sync)
            foreach (var (hash, states) in histories) _histories[hash] = [.. states];
    }
}
