using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Core;

/// <summary>
/// Prices of favour invoices this node asked settlement to settle, until settlement says they are: only then is the
/// price earned (reported to the observer). Bounded: a settle that never confirms (refused) is forgotten oldest first.
/// </summary>
internal sealed class SettlingFavours(int capacity)
{
    private readonly Dictionary<Hash32, ulong> _prices = [];
    private readonly Queue<Hash32> _order = new();

    public void Add(Hash32 paymentHash, ulong priceMsat)
    {
        if (!_prices.TryAdd(paymentHash, priceMsat)) return;
        _order.Enqueue(paymentHash);
        while (_prices.Count > capacity && _order.TryDequeue(out var oldest)) _prices.Remove(oldest);
    }

    /// <summary>The price of a favour whose invoice has just settled; false for any other invoice.</summary>
    public bool TryTake(Hash32 paymentHash, out ulong priceMsat) => _prices.Remove(paymentHash, out priceMsat);
}
