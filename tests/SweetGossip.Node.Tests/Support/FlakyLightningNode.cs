using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Tests.Support;

/// <summary>
/// A Lightning node that can be switched to fail: every call throws at once (a hub that refuses connections), or
/// never answers (a hub that hangs). Working, it passes everything to the real node.
/// </summary>
public sealed class FlakyLightningNode(ILightningNode inner) : ILightningNode
{
    public enum Mode { Working, Throwing, Hanging }

    public Mode Behaviour { get; set; }

    public LightningNodeId NodeId => inner.NodeId;

    public Task<HoldInvoice> AddHoldInvoiceAsync(Hash32 paymentHash, ulong amountMsat, string memo, TimeSpan expiry, int cltvExpiryDelta, CancellationToken ct = default) =>
        Call(() => inner.AddHoldInvoiceAsync(paymentHash, amountMsat, memo, expiry, cltvExpiryDelta, ct));

    public Task<InvoiceStatus> LookupInvoiceAsync(Hash32 paymentHash, CancellationToken ct = default) => Call(() => inner.LookupInvoiceAsync(paymentHash, ct));

    public IDisposable SubscribeInvoices(Action<InvoiceUpdate> onUpdate) => inner.SubscribeInvoices(onUpdate);

    public IDisposable SubscribeSingleInvoice(Hash32 paymentHash, Action<InvoiceUpdate> onUpdate) => inner.SubscribeSingleInvoice(paymentHash, onUpdate);

    public Task SettleInvoiceAsync(Hash32 preimage, CancellationToken ct = default) => Call(async () => { await inner.SettleInvoiceAsync(preimage, ct); return 0; });

    public Task CancelInvoiceAsync(Hash32 paymentHash, CancellationToken ct = default) => Call(async () => { await inner.CancelInvoiceAsync(paymentHash, ct); return 0; });

    public Task<PaymentResult> PayAsync(string paymentRequest, CancellationToken ct = default) => Call(() => inner.PayAsync(paymentRequest, ct));

    public Task<PaymentResult?> TrackPaymentAsync(Hash32 paymentHash, CancellationToken ct = default) => Call(() => inner.TrackPaymentAsync(paymentHash, ct));

    public Task<DecodedPaymentRequest> DecodePaymentRequestAsync(string paymentRequest, CancellationToken ct = default) =>
        Call(() => inner.DecodePaymentRequestAsync(paymentRequest, ct));

    public Task<LightningBalance> GetBalanceAsync(CancellationToken ct = default) => inner.GetBalanceAsync(ct);

    private Task<T> Call<T>(Func<Task<T>> call) => Behaviour switch
    {
        Mode.Throwing => throw new HttpRequestException("connection refused (test)"),
        Mode.Hanging => new TaskCompletionSource<T>().Task,
        _ => call(),
    };
}
