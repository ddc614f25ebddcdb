using System.Buffers.Binary;
using System.Globalization;
using Akka.Cluster.Sharding;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cluster.Claims;

/// <summary>
/// Entity id = the payload id's 16 bytes in hex; shard = its first 4 bytes modulo the shard count. The same on every
/// member by construction (no per-process string hash), which sharding requires.
/// </summary>
internal sealed class TopicShardExtractor(int numberOfShards) : IMessageExtractor
{
    public string? EntityId(object message) => message switch
    {
        ClaimTopic claim => EntityIdOf(claim.PayloadId),
        RestoreClaim restore => EntityIdOf(restore.PayloadId),
        PlaceAnswer place => EntityIdOf(place.PayloadId),
        _ => null,
    };

    public object? EntityMessage(object message) => message;

    [Obsolete("Use ShardId(EntityId, object) instead.")]
    public string? ShardId(object message) => EntityId(message) is { } id ? ShardId(id, message) : null;

    public string ShardId(string entityId, object? messageHint = null)
    {
        // Entity ids are ours (32 hex digits); anything else is a bug, not input.
        if (entityId.Length != 32 || !uint.TryParse(entityId.AsSpan(0, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var head))
            throw new ArgumentException($"'{entityId}' is not a topic entity id (32 hex digits)", nameof(entityId));
        return (head % (uint)numberOfShards).ToString(CultureInfo.InvariantCulture);
    }

    public static string EntityIdOf(PayloadId payloadId) => Convert.ToHexStringLower(Id16.ToBytes(payloadId.Value));

    /// <summary>The shard of a payload (tests and metrics).</summary>
    public static int ShardOf(PayloadId payloadId, int numberOfShards) =>
        (int)(BinaryPrimitives.ReadUInt32BigEndian(Id16.ToBytes(payloadId.Value)) % (uint)numberOfShards);
}
