using Akka.Actor;
using SweetGossip.Node.Routing;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Topics;

/// <summary>
/// The guardian's topics that said <see cref="TopicSettled"/> but whose actor has not terminated yet. Between the two a
/// topic's name is still taken, so a Reply routed by name would reach a stopping actor and be lost, and the revive path
/// (<see cref="SettledTopics.TryRevive"/>) could not start it again under that name. The Replies that would revive it
/// (from a peer it broadcast to) wait here, with those the topic hands back from its mailbox, and are routed again once
/// its <c>Terminated</c> arrives; every other frame is handled at once as for a settled topic (the caller's part), so
/// frames a peer makes up cannot crowd out an honest Reply. Bounded: one entry per topic actor (the topics in flight),
/// <c>max-replies-per-topic</c> Replies each, looked up by payload and by actor.
/// </summary>
internal sealed class SettlingTopics(int repliesPerTopic)
{
    // Made on first use: most nodes hold none most of the time, and a simulator runs one guardian per peer.
    private Dictionary<PayloadId, Settling>? _byPayload;
    private Dictionary<IActorRef, PayloadId>? _byActor;

    /// <summary>Topics stopping now.</summary>
    public int Count => _byActor?.Count ?? 0;

    public void Began(SettledTopic record, IActorRef topic)
    {
        (_byPayload ??= [])[record.PayloadId] = new Settling(record);
        (_byActor ??= [])[topic] = record.PayloadId;
    }

    public bool IsSettling(PayloadId payloadId) => _byPayload?.ContainsKey(payloadId) == true;

    /// <summary>
    /// Holds the frame if it is a Reply from a peer the settling topic broadcast to, within the bound: true. False for any
    /// other frame, or past the bound (<paramref name="full"/>), or when the payload's topic is not settling.
    /// </summary>
    /// <param name="handedBack">Handed back from the topic's mailbox: it reached the guardian before any held here.</param>
    public bool TryHold(ToTopic route, bool viaMember, bool handedBack, out bool full)
    {
        full = false;
        if (_byPayload is null || !_byPayload.TryGetValue(route.PayloadId, out var settling)) return false;
        if (route.Frame.Frame is not Reply || !settling.Record.BroadcastTo.Contains(route.Frame.Peer)) return false;
        full = !settling.Add(new HeldRoute(route, viaMember), handedBack, repliesPerTopic);
        return !full;
    }

    /// <summary>The topic has stopped: its held Replies in the order they reached the guardian, to route again.</summary>
    public bool TryEnd(IActorRef topic, out IReadOnlyList<HeldRoute> frames)
    {
        frames = [];
        if (_byActor is null || !_byActor.Remove(topic, out var payloadId)) return false;
        if (_byPayload!.Remove(payloadId, out var settling)) frames = settling.Held;
        if (_byActor.Count == 0) (_byActor, _byPayload) = (null, null);
        return true;
    }

    public readonly record struct HeldRoute(ToTopic Route, bool ViaMember);

    private sealed class Settling(SettledTopic record)
    {
        private List<HeldRoute>? _held;
        private int _handedBack;

        public SettledTopic Record { get; } = record;

        public IReadOnlyList<HeldRoute> Held => _held ?? [];

        public bool Add(HeldRoute route, bool handedBack, int bound)
        {
            if ((_held?.Count ?? 0) >= bound) return false;
            // Handed-back frames go after earlier handed-back ones and before any the guardian held itself.
            (_held ??= []).Insert(handedBack ? _handedBack++ : _held.Count, route);
            return true;
        }
    }
}
