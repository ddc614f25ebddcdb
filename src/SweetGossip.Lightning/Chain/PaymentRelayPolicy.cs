namespace SweetGossip.Lightning.Chain;

/// <summary>
/// A middleman's safety settings for relaying reply payments (the same for every relay of a node).
/// </summary>
public sealed record PaymentRelayPolicy
{
    /// <summary>The clock used for the timing checks; must be the node's clock (the simulator's manual one in tests).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Time per block, to compare CLTV deltas with clock time. Must match the node's network.</summary>
    public TimeSpan BlockInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Blocks by which the upstream (incoming) HTLC's timeout must exceed the downstream one's, so that
    /// after the downstream payee settles at the last moment there is still time to settle upstream.
    /// </summary>
    public int MinCltvDeltaMargin { get; init; } = 12;

    /// <summary>Used when <see cref="RelayTerms.CltvExpiryDelta"/> is null: upstream delta = downstream delta + this.</summary>
    public int CltvDeltaIncrement { get; init; } = 40;

    /// <summary>Refuse to relay when the upstream invoice could not stay payable at least this long.</summary>
    public TimeSpan MinUpstreamInvoiceLifetime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Refuse to lock funds for longer than this many blocks (LND's default max HTLC timelock).</summary>
    public int MaxCltvExpiryDelta { get; init; } = 2016;
}

/// <summary>What one middleman asks for relaying one reply.</summary>
/// <param name="FeeMsat">Added to the downstream amount: the upstream invoice asks for downstream + fee.</param>
/// <param name="InvoiceExpiry">
/// Requested lifetime of the upstream invoice; shortened so that it never outlives the downstream invoice.
/// </param>
/// <param name="CltvExpiryDelta">
/// CLTV delta of the upstream invoice; null: downstream's + <see cref="PaymentRelayPolicy.CltvDeltaIncrement"/>.
/// Must exceed the downstream delta by at least <see cref="PaymentRelayPolicy.MinCltvDeltaMargin"/>.
/// </param>
/// <param name="Memo">Memo of the upstream invoice.</param>
public sealed record RelayTerms(ulong FeeMsat, TimeSpan InvoiceExpiry, int? CltvExpiryDelta = null, string Memo = "");

/// <summary>Why a middleman refused to relay a reply payment.</summary>
public enum RelayRefusalReason
{
    /// <summary>The downstream payment request cannot be decoded, or has no amount.</summary>
    InvalidDownstreamInvoice,

    /// <summary>
    /// The downstream HTLC could be held as long as (or longer than, or nearly as long as) the upstream one:
    /// after paying downstream the middleman might be unable to settle upstream. CLTV deltas must decrease
    /// towards the replier by at least the margin.
    /// </summary>
    DownstreamHoldNotShorter,

    /// <summary>The upstream delta is above <see cref="PaymentRelayPolicy.MaxCltvExpiryDelta"/>.</summary>
    CltvTooLarge,

    /// <summary>The downstream invoice expires too soon for an upstream invoice to be paid before it.</summary>
    DownstreamExpiresTooSoon,

    /// <summary>Downstream amount + fee does not fit in 64 bits.</summary>
    AmountOverflow,

    /// <summary>This node already has an invoice under the payment hash (it already relays this reply).</summary>
    AlreadyRelaying,
}

/// <summary>Thrown by <see cref="MiddlemanPaymentRelay.StartAsync"/> when the middleman must not relay.</summary>
public sealed class RelayRefusedException(RelayRefusalReason reason, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public RelayRefusalReason Reason { get; } = reason;
}
