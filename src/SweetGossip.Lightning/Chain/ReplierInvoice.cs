using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Chain;

/// <summary>
/// The replier's end of a reply payment chain: picks the preimage P, issues a hold invoice for its price
/// under H = SHA-256(P), and (by default) settles as soon as the invoice is Accepted, which releases P to
/// the middleman that paid it, and from there up the chain.
/// </summary>
public sealed class ReplierInvoice : IDisposable
{
    private readonly ILightningNode _node;
    private readonly bool _settleOnAccept;
    private readonly TaskCompletionSource<InvoiceStatus> _completion = new();
    private IDisposable? _subscription;
    private int _settling;

    private ReplierInvoice(ILightningNode node, Hash32 preimage, bool settleOnAccept)
    {
        _node = node;
        Preimage = preimage;
        PaymentHash = preimage.Sha256();
        _settleOnAccept = settleOnAccept;
    }

    /// <summary>P: secret until we settle. Goes into the reply's body key (pay-to-reveal).</summary>
    public Hash32 Preimage { get; }

    /// <summary>H = SHA-256(P): what every hop's invoice is held under.</summary>
    public Hash32 PaymentHash { get; }

    public HoldInvoice Invoice { get; private set; } = null!;

    /// <summary>Completes with the invoice's final status: Settled, or Cancelled (not paid in time, or timed out while held).</summary>
    public Task<InvoiceStatus> Completion => _completion.Task;

    /// <summary>Issues the replier's hold invoice.</summary>
    /// <param name="cltvExpiryDelta">The smallest delta of the chain: each middleman adds to it.</param>
    /// <param name="settleOnAccept">False to hold the payment and settle (or not) by hand with <see cref="SettleAsync"/>.</param>
    /// <param name="preimage">A given preimage (for reproducible simulations); otherwise a random one.</param>
    public static async Task<ReplierInvoice> IssueAsync(
        ILightningNode node,
        ulong priceMsat,
        string memo,
        TimeSpan expiry,
        int cltvExpiryDelta,
        bool settleOnAccept = true,
        Hash32? preimage = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        var replier = new ReplierInvoice(node, preimage ?? Hash32.Random(), settleOnAccept);
        replier.Invoice = await node.AddHoldInvoiceAsync(replier.PaymentHash, priceMsat, memo, expiry, cltvExpiryDelta, ct)
            .ConfigureAwait(false);
        var subscription = node.SubscribeSingleInvoice(replier.PaymentHash, replier.OnUpdate);
        if (Interlocked.CompareExchange(ref replier._subscription, subscription, null) is not null || replier._completion.Task.IsCompleted)
        {
            subscription.Dispose();
        }

        return replier;
    }

    /// <summary>Settles the Accepted invoice with P (when not settling automatically).</summary>
    public Task SettleAsync() => _node.SettleInvoiceAsync(Preimage);

    /// <summary>Cancels the invoice (refunding the payer if it is held).</summary>
    public Task CancelAsync() => _node.CancelInvoiceAsync(PaymentHash);

    public void Dispose()
    {
        var subscription = Interlocked.Exchange(ref _subscription, DisposedMarker.Instance);
        if (subscription != DisposedMarker.Instance)
        {
            subscription?.Dispose();
        }
    }

    private void OnUpdate(InvoiceUpdate update)
    {
        switch (update.State)
        {
            case InvoiceState.Accepted when _settleOnAccept && Interlocked.Exchange(ref _settling, 1) == 0:
                _ = SettleQuietlyAsync();
                break;
            case InvoiceState.Settled or InvoiceState.Cancelled:
                Dispose();
                _completion.TrySetResult(update.Invoice);
                break;
        }
    }

    private async Task SettleQuietlyAsync()
    {
        try
        {
            await _node.SettleInvoiceAsync(Preimage).ConfigureAwait(false);
        }
        catch (LightningException)
        {
            // Timed out or cancelled meanwhile: the Cancelled update completes the task.
        }
    }

    private sealed class DisposedMarker : IDisposable
    {
        public static readonly DisposedMarker Instance = new();

        public void Dispose()
        {
        }
    }
}
