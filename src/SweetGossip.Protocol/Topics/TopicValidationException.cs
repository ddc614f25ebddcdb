namespace SweetGossip.Protocol.Topics;

/// <summary>
/// A topic broke one of its rules. <see cref="Field"/> is the wire (snake_case) name of the offending
/// field, e.g. <c>pickup_geohash</c>; <see cref="Exception.Message"/> is <c>"{field}: {message}"</c>,
/// e.g. <c>"pickup_geohash: must be at most 8 characters (got 9)"</c>.
/// </summary>
public sealed class TopicValidationException : Exception
{
    public TopicValidationException(string field, string message)
        : base($"{field}: {message}")
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        Field = field;
    }

    /// <summary>The snake_case wire name of the field that failed validation.</summary>
    public string Field { get; }
}
