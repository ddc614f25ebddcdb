namespace SweetGossip.Lightning.Embedded;

/// <summary>Settings of an <see cref="EmbeddedLightningNetwork"/>.</summary>
public sealed record EmbeddedNetworkOptions
{
    /// <summary>The clock for invoice timestamps, expiry and HTLC timeouts. Tests and simulations pass a manual one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// True (default): payment requests are BOLT 11 invoices (network regtest, <c>lnbcrt</c>) signed with the
    /// payee node's key, which any BOLT 11 decoder accepts. False: the same BOLT 11 fields with an all-zero
    /// signature, which only the issuing embedded network accepts (it finds invoices by their exact string
    /// and never verifies its own); this skips the ECDSA signature, the cost of the payment hot path.
    /// </summary>
    public bool SignInvoices { get; init; } = true;

    /// <summary>Remember each payment by (payer, hash) for <c>TrackPaymentAsync</c>; a simulation that never restarts a payer may turn it off to save memory.</summary>
    public bool TrackPayments { get; init; } = true;

    /// <summary>
    /// Seeds the random source for generated node keys and payment secrets, for reproducible simulations.
    /// Null (default): the system's cryptographic RNG.
    /// </summary>
    public int? Seed { get; init; }

    /// <summary>Time per block, to turn CLTV deltas (blocks) into HTLC timeouts. Default 10 minutes, as on Bitcoin.</summary>
    public TimeSpan BlockInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Routing fee per payment: base (msat). Default 0. Fees go to the network's fee pot, counted in TotalMsat.</summary>
    public ulong RoutingFeeBaseMsat { get; init; }

    /// <summary>Routing fee per payment: proportional part, in millionths of the amount. Default 0.</summary>
    public uint RoutingFeePpm { get; init; }

    /// <summary>
    /// Called with any exception a subscriber callback throws. Such exceptions never reach the operation that
    /// caused the event; without a handler they are only counted (<see cref="EmbeddedLightningNetwork.CallbackErrorCount"/>).
    /// </summary>
    public Action<Exception>? OnCallbackError { get; init; }
}
