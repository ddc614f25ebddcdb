namespace SweetGossip.Protocol.Pow;

public enum PowVerdict
{
    Valid,
    InsufficientWork,
    Expired,
    UnknownScheme,
}
