namespace SweetGossip.Protocol.Topics;

/// <summary>
/// The whitepaper's AbstractTopic: the application-specific description of a job that is broadcast to
/// potential gig workers. By design a topic carries nothing that identifies the originator.
/// </summary>
public abstract record Topic
{
    /// <summary>Short, stable name of the topic kind (e.g. <c>"taxi"</c>).</summary>
    public abstract string Kind { get; }

    /// <summary>
    /// Checks the topic's rules at time <paramref name="now"/>.
    /// </summary>
    /// <exception cref="TopicValidationException">A rule is broken; names the offending field.</exception>
    public abstract void Validate(DateTimeOffset now);
}
