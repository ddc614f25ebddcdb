using System.Buffers.Binary;
using SweetGossip.Cluster.Peers;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Hub;

/// <summary>
/// Ask ids a hub member sends carry a tag of that member in their first four bytes, so that conditions (which name
/// only the ask) sent on another member's link, after the peer redialled, go to the asking member alone, on its own
/// DistributedPubSub topic (<see cref="MemberTopic"/>), instead of to every member. The id stays opaque to peers (the
/// protocol says nothing of its bytes) and keeps 96 random bits. A peer that makes up an ask id can aim its conditions
/// at one member, which drops them (unknown ask), as every member did before when they were published to all.
/// </summary>
public static class MemberAsks
{
    public static uint TagOf(AskId ask)
    {
        Span<byte> bytes = stackalloc byte[16];
        ask.Value.TryWriteBytes(bytes);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    /// <summary>A fresh ask id from <paramref name="random"/>'s bytes with the member's tag in the first four.</summary>
    public static AskId Tagged(Guid random, uint tag)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.TryWriteBytes(bytes);
        BinaryPrimitives.WriteUInt32BigEndian(bytes, tag);
        return new AskId(new Guid(bytes));
    }
}
