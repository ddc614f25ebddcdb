using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Core;

/// <summary>
/// Prices of favour invoices this node asked settlement to settle, until settlement says they are: only then is the
/// price earned (reported to the observer). Bounded: a settle that never confirms (refused) is forgotten oldest first.
/// </summary>
internal sealed class SettlingFavours(int capacity)
{
    // Both made at the first favour invoice settled (none in proof-of-work runs; empty, 120 bytes of every simulated peer).
    private Dictionary<Hash32, ulong>? _prices;
    // Oldest first; may hold hashes already taken (skipped), compacted so it never outgrows twice the prices.
    private Queue<Hash32>? _order;

    /// <summary>Hashes in the age queue, taken ones included: for the bound's test.</summary>
    internal int OrderCount => _order?.Count ?? 0;

    public void Add(Hash32 paymentHash, ulong priceMsat)
    {
        _prices ??= [];
        _order ??= new();
        if (!_prices.TryAdd(paymentHash, priceMsat)) return;
        _order.Enqueue(paymentHash);
        while (_prices.Count > capacity && _order.TryDequeue(out var oldest)) _prices.Remove(oldest);
        Compact();
    }

    /// <summary>The price of a favour whose invoice has just settled; false for any other invoice.</summary>
    public bool TryTake(Hash32 paymentHash, out ulong priceMsat)
    {
        if (_prices is null || !_prices.Remove(paymentHash, out priceMsat))
        {
            priceMsat = 0;
            return false;
        }
        Compact();
        return true;
    }

    // Every settled favour leaves its hash in the queue: without this it grows for the node's lifetime.
    private void Compact()
    {
        if (_order!.Count <= 2 * Math.Max(_prices!.Count, 1)) return;
        _order = new Queue<Hash32>(_order.Where(_prices.ContainsKey));
    }
}
