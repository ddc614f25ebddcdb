using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Tests.Chain;

/// <summary>
/// Passes every call through to a real node and records, for every payment the node starts, the state
/// of its own invoice under the same payment hash at that moment.
/// </summary>
public sealed class RecordingNode(ILightningNode inner) : ILightningNode
{
    public List<(string Request, InvoiceState? OwnInvoiceState)> Payments { get; } = [];

    public LightningNodeId NodeId => inner.NodeId;

    public Task<HoldInvoice> AddHoldInvoiceAsync(Hash32 paymentHash, ulong amountMsat, string memo, TimeSpan expiry, int cltvExpiryDelta, CancellationToken ct = default) =>
        inner.AddHoldInvoiceAsync(paymentHash, amountMsat, memo, expiry, cltvExpiryDelta, ct);

    public Task<InvoiceStatus> LookupInvoiceAsync(Hash32 paymentHash, CancellationToken ct = default) => inner.LookupInvoiceAsync(paymentHash, ct);

    public IDisposable SubscribeInvoices(Action<InvoiceUpdate> onUpdate) => inner.SubscribeInvoices(onUpdate);

    public IDisposable SubscribeSingleInvoice(Hash32 paymentHash, Action<InvoiceUpdate> onUpdate) => inner.SubscribeSingleInvoice(paymentHash, onUpdate);

    public Task SettleInvoiceAsync(Hash32 preimage, CancellationToken ct = default) => inner.SettleInvoiceAsync(preimage, ct);

    public Task CancelInvoiceAsync(Hash32 paymentHash, CancellationToken ct = default) => inner.CancelInvoiceAsync(paymentHash, ct);

    public async Task<PaymentResult> PayAsync(string paymentRequest, CancellationToken ct = default)
    {
        var decoded = await inner.DecodePaymentRequestAsync(paymentRequest, ct);
        InvoiceState? own;
        try
        {
            own = (await inner.LookupInvoiceAsync(decoded.PaymentHash, ct)).State;
        }
        catch (LightningException e) when (e.Code == LightningErrorCode.InvoiceNotFound)
        {
            own = null;
        }

        Payments.Add((paymentRequest, own));
        return await inner.PayAsync(paymentRequest, ct);
    }

    public Task<PaymentResult?> TrackPaymentAsync(Hash32 paymentHash, CancellationToken ct = default) =>
        inner.TrackPaymentAsync(paymentHash, ct);

    public Task<DecodedPaymentRequest> DecodePaymentRequestAsync(string paymentRequest, CancellationToken ct = default) =>
        inner.DecodePaymentRequestAsync(paymentRequest, ct);

    public Task<LightningBalance> GetBalanceAsync(CancellationToken ct = default) => inner.GetBalanceAsync(ct);
}
