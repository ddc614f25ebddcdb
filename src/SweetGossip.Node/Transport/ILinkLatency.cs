namespace SweetGossip.Node.Transport;

/// <summary>
/// How long the next frame takes from one in-process address to another: zero in tests, a distribution
/// in simulations (where the delay is virtual time and costs nothing).
/// </summary>
public interface ILinkLatency
{
    TimeSpan Next(string from, string to);
}
