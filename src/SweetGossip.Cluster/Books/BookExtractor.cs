using Akka.Cluster.Sharding;

namespace SweetGossip.Cluster.Books;

/// <summary>
/// Books are addressed by <see cref="ShardingEnvelope"/> only (Akka unwraps it, and remember-entities' StartEntity, before
/// asking this); each book is its own shard, so books move one by one.
/// </summary>
internal sealed class BookExtractor : IMessageExtractor
{
    public string? EntityId(object message) => null;

    public object? EntityMessage(object message) => message;

    [Obsolete("Use ShardId(EntityId, object) instead.")]
    public string? ShardId(object message) => null;

    public string ShardId(string entityId, object? messageHint = null) => entityId;
}
