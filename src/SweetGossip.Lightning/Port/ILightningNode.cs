using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Port;

/// <summary>
/// What SweetGossip needs from a Lightning node, shaped after LND's hold-invoice API
/// (lnrpc + invoicesrpc + routerrpc), so that an LND or CLN adapter can implement it:
/// <list type="table">
/// <item><term><see cref="AddHoldInvoiceAsync"/></term><description>invoicesrpc.AddHoldInvoice</description></item>
/// <item><term><see cref="LookupInvoiceAsync"/></term><description>lnrpc.LookupInvoice</description></item>
/// <item><term><see cref="SubscribeInvoices"/> / <see cref="SubscribeSingleInvoice"/></term><description>lnrpc.SubscribeInvoices / invoicesrpc.SubscribeSingleInvoice</description></item>
/// <item><term><see cref="SettleInvoiceAsync"/> / <see cref="CancelInvoiceAsync"/></term><description>invoicesrpc.SettleInvoice / CancelInvoice</description></item>
/// <item><term><see cref="PayAsync"/></term><description>routerrpc.SendPaymentV2, awaited to its final state</description></item>
/// <item><term><see cref="TrackPaymentAsync"/></term><description>routerrpc.TrackPaymentV2</description></item>
/// <item><term><see cref="DecodePaymentRequestAsync"/></term><description>lnrpc.DecodePayReq</description></item>
/// <item><term><see cref="GetBalanceAsync"/></term><description>lnrpc.ChannelBalance</description></item>
/// </list>
/// Illegal operations throw <see cref="LightningException"/>; payment failures are results, not exceptions.
/// Callbacks must not block waiting for another operation of the same network (they may start them).
/// </summary>
public interface ILightningNode
{
    /// <summary>This node's public key.</summary>
    LightningNodeId NodeId { get; }

    /// <summary>
    /// Issues a hold invoice under a payment hash chosen by the caller (who may not know the preimage:
    /// a middleman relays someone else's hash). Payment locks the payer's HTLC and moves the invoice to
    /// Accepted; nothing is final until <see cref="SettleInvoiceAsync"/> or <see cref="CancelInvoiceAsync"/>.
    /// </summary>
    /// <param name="expiry">How long the invoice can be paid.</param>
    /// <param name="cltvExpiryDelta">Blocks an accepted HTLC may be held before it times out (min_final_cltv_expiry_delta).</param>
    /// <exception cref="LightningException"><see cref="LightningErrorCode.DuplicatePaymentHash"/>, <see cref="LightningErrorCode.InvalidArgument"/>.</exception>
    Task<HoldInvoice> AddHoldInvoiceAsync(
        Hash32 paymentHash,
        ulong amountMsat,
        string memo,
        TimeSpan expiry,
        int cltvExpiryDelta,
        CancellationToken ct = default);

    /// <exception cref="LightningException"><see cref="LightningErrorCode.InvoiceNotFound"/>.</exception>
    Task<InvoiceStatus> LookupInvoiceAsync(Hash32 paymentHash, CancellationToken ct = default);

    /// <summary>
    /// Every state change of every invoice of this node from now on, in order (<see cref="InvoiceUpdate.Sequence"/>).
    /// Dispose to stop. The callback may call this node (e.g. settle), but must not block on it.
    /// </summary>
    IDisposable SubscribeInvoices(Action<InvoiceUpdate> onUpdate);

    /// <summary>
    /// Changes of one invoice, which need not exist yet. If it exists, its current state is delivered first
    /// (as LND does), then every later change, each exactly once. The first delivery may happen before this
    /// method returns.
    /// </summary>
    IDisposable SubscribeSingleInvoice(Hash32 paymentHash, Action<InvoiceUpdate> onUpdate);

    /// <summary>Settles the Accepted invoice whose payment hash is SHA-256(<paramref name="preimage"/>): the HTLC's funds become ours.</summary>
    /// <exception cref="LightningException">
    /// <see cref="LightningErrorCode.NoInvoiceForPreimage"/> (wrong preimage), <see cref="LightningErrorCode.InvoiceNotAccepted"/>,
    /// <see cref="LightningErrorCode.InvoiceAlreadySettled"/>, <see cref="LightningErrorCode.InvoiceCancelled"/>.
    /// </exception>
    Task SettleInvoiceAsync(Hash32 preimage, CancellationToken ct = default);

    /// <summary>
    /// Cancels an Open or Accepted invoice; an HTLC is failed back to the payer. Cancelling a Cancelled
    /// invoice does nothing (idempotent, as in LND).
    /// </summary>
    /// <exception cref="LightningException"><see cref="LightningErrorCode.InvoiceNotFound"/>, <see cref="LightningErrorCode.InvoiceAlreadySettled"/>.</exception>
    Task CancelInvoiceAsync(Hash32 paymentHash, CancellationToken ct = default);

    /// <summary>
    /// Pays a payment request and completes only with the final state: Succeeded once the payee settles
    /// (with the preimage), Failed when the payee cancels, the hold times out, or the payment cannot start.
    /// <paramref name="ct"/> is honoured only before the HTLC is sent: an HTLC in flight cannot be recalled
    /// (use <c>Task.WaitAsync</c> to stop waiting).
    /// </summary>
    Task<PaymentResult> PayAsync(string paymentRequest, CancellationToken ct = default);

    /// <summary>
    /// How this node's payment under <paramref name="paymentHash"/> ended, waiting for it if still in flight
    /// (routerrpc.TrackPaymentV2); null if this node never started one. A restarted payer uses it to learn
    /// the preimage of a payment it started before the restart.
    /// </summary>
    Task<PaymentResult?> TrackPaymentAsync(Hash32 paymentHash, CancellationToken ct = default);

    /// <exception cref="LightningException"><see cref="LightningErrorCode.InvalidPaymentRequest"/>.</exception>
    Task<DecodedPaymentRequest> DecodePaymentRequestAsync(string paymentRequest, CancellationToken ct = default);

    Task<LightningBalance> GetBalanceAsync(CancellationToken ct = default);
}
