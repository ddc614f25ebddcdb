namespace SweetGossip.Lightning.Port;

/// <summary>Machine-readable reason for a <see cref="LightningException"/>.</summary>
public enum LightningErrorCode
{
    /// <summary>An argument is out of range (zero amount, non-positive expiry, memo too long, ...).</summary>
    InvalidArgument,

    /// <summary>AddHoldInvoice with a payment hash this node already has an invoice for (in any state).</summary>
    DuplicatePaymentHash,

    /// <summary>No invoice of this node has that payment hash.</summary>
    InvoiceNotFound,

    /// <summary>Settle with a preimage whose SHA-256 is not the payment hash of any invoice of this node: a wrong preimage.</summary>
    NoInvoiceForPreimage,

    /// <summary>Settle of an Open invoice: there is no HTLC to settle yet.</summary>
    InvoiceNotAccepted,

    /// <summary>Settle or cancel of an invoice that is already Settled.</summary>
    InvoiceAlreadySettled,

    /// <summary>Settle of a Cancelled (or expired) invoice.</summary>
    InvoiceCancelled,

    /// <summary>A payment request that cannot be decoded or does not belong to this network.</summary>
    InvalidPaymentRequest,
}

/// <summary>An operation the Lightning node refuses: see <see cref="Code"/>.</summary>
public sealed class LightningException : Exception
{
    public LightningException(LightningErrorCode code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
    }

    public LightningErrorCode Code { get; }
}
