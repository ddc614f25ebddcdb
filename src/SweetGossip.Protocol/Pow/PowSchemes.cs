namespace SweetGossip.Protocol.Pow;

// Names of the proof-of-work schemes this implementation can verify (PowFavourConditions.scheme).
public static class PowSchemes
{
    // SHA-256 over a challenge bound to favour id, payload hash, issuer key, difficulty and expiry; see PowChallenge.
    public const string Sha256 = "sha256";

    // Exact, case-sensitive match; null or anything else is unknown.
    public static bool IsKnown(string scheme) => string.Equals(scheme, Sha256, StringComparison.Ordinal);
}
