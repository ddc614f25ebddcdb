namespace SweetGossip.Protocol.Validation;

/// <summary>The outcome of a check: ok, or a reason that names what is wrong.</summary>
public readonly record struct Verdict(bool IsValid, string Reason)
{
    public static readonly Verdict Ok = new(true, "ok");

    public static Verdict Reject(string reason) => new(false, reason);

    public override string ToString() => IsValid ? "ok" : Reason;
}
