using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using SweetGossip.Cluster.Peers;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Hub;

/// <summary>
/// Ask ids a hub member sends name that member, so that conditions (which name only the ask) sent on another member's
/// link, after the peer redialled, go to the asking member alone, on its own DistributedPubSub topic
/// (<see cref="MemberTopic"/>), instead of to every member. The id stays opaque to peers: 12 random bytes, and in front
/// of them the member's tag masked by an HMAC of those bytes under a key only the hub's members hold (derived from the
/// identity they share). A bare tag would be the same in every ask: a peer could count the members, see when it was
/// moved, and search private address ranges for the hash of each member's address. A peer that makes up an ask id
/// aims its conditions at a member it cannot choose, which drops them (unknown ask), as every member did when they were
/// published to all.
/// </summary>
public sealed class MemberAsks
{
    private static readonly byte[] KeyInfo = Encoding.ASCII.GetBytes("sweetgossip hub ask-id tag mask v1");
    private readonly byte[] _maskKey;

    /// <param name="identity">The hub's identity key, which every member holds.</param>
    /// <param name="tag">This member's tag (<see cref="MemberTopic.TagOf"/>).</param>
    public MemberAsks(PrivateKey identity, uint tag)
    {
        Tag = tag;
        _maskKey = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, identity.ToBytes(), _maskKey, salt: [], KeyInfo);
    }

    /// <summary>This member's tag.</summary>
    public uint Tag { get; }

    /// <summary>A fresh ask id from <paramref name="random"/>'s bytes naming this member.</summary>
    public AskId Tagged(Guid random) => Tagged(random, Tag);

    /// <summary>A fresh ask id from <paramref name="random"/>'s bytes naming the member of <paramref name="tag"/>.</summary>
    public AskId Tagged(Guid random, uint tag)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.TryWriteBytes(bytes);
        BinaryPrimitives.WriteUInt32BigEndian(bytes, tag ^ Mask(bytes[4..]));
        return new AskId(new Guid(bytes));
    }

    /// <summary>The tag of the member that sent <paramref name="ask"/> (any 32 bits for an id this hub did not make).</summary>
    public uint TagOf(AskId ask)
    {
        Span<byte> bytes = stackalloc byte[16];
        ask.Value.TryWriteBytes(bytes);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes) ^ Mask(bytes[4..]);
    }

    private uint Mask(ReadOnlySpan<byte> random)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_maskKey, random, mac);
        return BinaryPrimitives.ReadUInt32BigEndian(mac);
    }
}
