using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Akka.Actor;

namespace SweetGossip.Cluster.Peers;

/// <summary>
/// Each member's own DistributedPubSub topic, to which its node subscribes: answers meant for that member alone, when
/// only its address (or its tag, in an ask id) is known and no actor ref is (conditions answering its asks; answers for a
/// topic whose claim came over in a shard hand-over). The tag is the start of SHA-256 of the member's address, so it is
/// the same after a restart at that address.
/// </summary>
public static class MemberTopic
{
    public static uint TagOf(Address member) =>
        BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(member.ToString())));

    public static string Of(uint tag) => FrameViaMember.UnplacedTopic + "-member-" + tag.ToString("x8");

    public static string Of(Address member) => Of(TagOf(member));
}
