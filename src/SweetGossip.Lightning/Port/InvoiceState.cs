namespace SweetGossip.Lightning.Port;

/// <summary>
/// The hold-invoice state machine (LND's invoice states, with ACCEPTED from the invoices sub-server):
/// <code>
/// Open ──pay──▶ Accepted ──settle(preimage)──▶ Settled
///   │              │
///   └──cancel / expiry──┴──cancel / hold expiry──▶ Cancelled
/// </code>
/// Settled and Cancelled are final.
/// </summary>
public enum InvoiceState
{
    /// <summary>Issued, not paid yet; payable until <see cref="InvoiceStatus.ExpiresAt"/>.</summary>
    Open,

    /// <summary>An HTLC for the full amount is locked under the payment hash; the payee may settle or cancel.</summary>
    Accepted,

    /// <summary>The payee released the preimage; the funds are the payee's. Final.</summary>
    Settled,

    /// <summary>Cancelled by the payee or expired; any locked funds went back to the payer. Final.</summary>
    Cancelled,
}

/// <summary>Why an invoice is <see cref="InvoiceState.Cancelled"/>.</summary>
public enum InvoiceCancelReason
{
    /// <summary>The payee called CancelInvoice (in Open or Accepted).</summary>
    CancelledByPayee,

    /// <summary>The invoice was still Open at its expiry time.</summary>
    Expired,

    /// <summary>
    /// The invoice was Accepted but not settled before the HTLC's timeout
    /// (accepted time + cltv_expiry_delta blocks); the HTLC was failed back to the payer.
    /// </summary>
    HoldExpired,
}
