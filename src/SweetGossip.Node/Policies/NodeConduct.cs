using SweetGossip.Protocol.Frames;

namespace SweetGossip.Node.Policies;

/// <summary>
/// How a node treats the topics it accepts: an honest node relays and replies as the protocol says.
/// Simulations plug in adversaries here (silent peers, censors, chatterboxes, free riders) so that
/// attackers run the same actors and rules as everyone else and differ only in these choices.
/// </summary>
public interface INodeConduct
{
    /// <summary>Whether to pass this accepted topic on to peers.</summary>
    bool Relays(SignedRequestPayload request, DateTimeOffset now);

    /// <summary>Whether to take this job when the reply policy wants it.</summary>
    bool Replies(SignedRequestPayload request, DateTimeOffset now);

    /// <summary>How many times, and how far apart, to ask all peers again for a topic already relayed (a chatterbox); none when honest.</summary>
    (int Times, TimeSpan Interval) Repeats(SignedRequestPayload request, DateTimeOffset now);
}

/// <summary>The protocol's own conduct: relay, reply, never repeat.</summary>
public sealed class HonestConduct : INodeConduct
{
    public static readonly HonestConduct Instance = new();

    public bool Relays(SignedRequestPayload request, DateTimeOffset now) => true;

    public bool Replies(SignedRequestPayload request, DateTimeOffset now) => true;

    public (int Times, TimeSpan Interval) Repeats(SignedRequestPayload request, DateTimeOffset now) => (0, TimeSpan.Zero);
}
