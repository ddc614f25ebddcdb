namespace SweetGossip.Lightning.Bolt11;

/// <summary>Thrown when a string is not a valid BOLT 11 invoice (or is one a reader must refuse).</summary>
public sealed class Bolt11FormatException : FormatException
{
    public Bolt11FormatException(string reason, string? detail = null, Exception? inner = null)
        : base(detail is null ? reason : $"{reason}: {detail}", inner)
    {
        Reason = reason;
    }

    /// <summary>Short, stable description of the failure; one of the <see cref="Bolt11Reasons"/> constants.</summary>
    public string Reason { get; }
}

/// <summary>The values <see cref="Bolt11FormatException.Reason"/> can take.</summary>
public static class Bolt11Reasons
{
    // Bech32 layer (same strings as Bech32.Reasons).
    public const string MixedCase = Bech32.Reasons.MixedCase;
    public const string MissingSeparator = Bech32.Reasons.MissingSeparator;
    public const string EmptyHrp = Bech32.Reasons.EmptyHrp;
    public const string InvalidHrpCharacter = Bech32.Reasons.InvalidHrpCharacter;
    public const string InvalidDataCharacter = Bech32.Reasons.InvalidDataCharacter;
    public const string ChecksumTooShort = Bech32.Reasons.ChecksumTooShort;
    public const string BadChecksum = Bech32.Reasons.BadChecksum;

    // Human-readable part.
    public const string UnknownPrefix = "unknown network prefix";
    public const string InvalidAmount = "invalid amount";
    public const string InvalidMultiplier = "invalid amount multiplier";
    public const string InvalidPicoAmount = "invalid pico amount";

    // Data part layout.
    public const string TooShort = "too short";
    public const string TruncatedField = "truncated tagged field";

    // Field contents.
    public const string InvalidDescription = "description is not valid UTF-8";
    public const string InvalidPayeeNodeId = "invalid payee node id";
    public const string InvalidExpiry = "invalid expiry";
    public const string InvalidMinFinalCltvExpiry = "invalid min_final_cltv_expiry";
    public const string InvalidFallbackAddress = "invalid fallback address";
    public const string InvalidRouteHint = "invalid route hint";

    // Signature.
    public const string InvalidRecoveryId = "invalid recovery id";
    public const string SignatureNotRecoverable = "signature is not recoverable";
    public const string SignatureMismatch = "signature does not recover the payee node id n";
    public const string HighSSignature = "high-S signature with payee node id n";

    // Required content.
    public const string MissingPaymentHash = "missing payment hash";
    public const string MissingPaymentSecret = "missing payment secret";
    public const string MissingDescription = "missing description";
    public const string MultipleDescriptions = "more than one description or description hash";
    public const string UnknownRequiredFeature = "unknown required feature bit";
    public const string MissingFeatureDependency = "missing feature dependency";
}
