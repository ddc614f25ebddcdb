using Akka.Actor;
using SweetGossip.Node.Routing;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Hub;

/// <summary>
/// Topics another member of the hub owns whose asks or broadcasts went out on this member's links, and that member's
/// node: what peers answer for them (conditions, replies, ThankYous) is forwarded there. Learned only from frames the
/// owner sent (never from a peer), bounded like the topics in flight, each forgotten when its topic ends.
/// </summary>
internal sealed class MemberTopics(int capacity)
{
    private readonly ExpiringEntries<PayloadId, IActorRef> _owners = new(capacity);

    public int Count => _owners.Count;

    public void Learn(PayloadId payloadId, IActorRef owner, DateTimeOffset until, DateTimeOffset now)
    {
        if (until <= now || (_owners.TryGetValue(payloadId, out var known) && known.Equals(owner))) return;
        _owners.Remove(payloadId); // a later frame of the topic's may come from another owner (its member left)
        _owners.TryAdd(payloadId, owner, until, now);
    }

    public bool TryGetOwner(PayloadId payloadId, DateTimeOffset now, out IActorRef owner)
    {
        _owners.Expire(now);
        return _owners.TryGetValue(payloadId, out owner);
    }
}
