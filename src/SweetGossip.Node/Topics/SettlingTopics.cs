using Akka.Actor;
using SweetGossip.Node.Routing;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Topics;

/// <summary>
/// The guardian's topics that said <see cref="TopicSettled"/> but whose actor has not terminated yet. Between the two a
/// topic's name is still taken, so a Reply routed by name would reach a stopping actor and be lost, and the revive path
/// (<see cref="SettledTopics.TryRevive"/>) could not start it again under that name. Frames for such a payload wait here,
/// with those the topic hands back from its mailbox, and are routed again once its <c>Terminated</c> arrives.
/// Bounded: one entry per topic actor (the topics in flight) and <c>framesPerTopic</c> frames each; a frame past that is
/// refused (the caller logs it), as a topic past its reply or ask bounds would refuse it.
/// </summary>
internal sealed class SettlingTopics(int framesPerTopic)
{
    // Made on first use: most nodes hold none most of the time, and a simulator runs one guardian per peer.
    private Dictionary<IActorRef, Settling>? _byActor;

    /// <summary>Topics stopping now.</summary>
    public int Count => _byActor?.Count ?? 0;

    public void Began(PayloadId payloadId, IActorRef topic) => (_byActor ??= [])[topic] = new Settling(payloadId);

    /// <summary>
    /// True when the payload's topic is stopping: the frame waits (or, past the bound, is refused: <paramref name="refused"/>).
    /// A linear look: settling lasts one round trip between guardian and topic, so few are settling at once.
    /// </summary>
    public bool TryHold(ToTopic route, bool viaMember, out bool refused)
    {
        refused = false;
        if (_byActor is null) return false;
        foreach (var settling in _byActor.Values)
        {
            if (settling.PayloadId != route.PayloadId) continue;
            refused = !settling.Add(new HeldRoute(route, viaMember), handedBack: false, framesPerTopic);
            return true;
        }
        return false;
    }

    /// <summary>A frame the topic had in its mailbox when it settled: it goes before any held here (it arrived first).</summary>
    public bool HandBack(IActorRef topic, ToTopic route) =>
        _byActor is not null && _byActor.TryGetValue(topic, out var settling) && settling.Add(new HeldRoute(route, route.Frame.ViaMember), handedBack: true, framesPerTopic);

    /// <summary>The topic has stopped: its frames in the order they reached the guardian, to route again.</summary>
    public bool TryEnd(IActorRef topic, out IReadOnlyList<HeldRoute> frames)
    {
        frames = [];
        if (_byActor is null || !_byActor.Remove(topic, out var settling)) return false;
        frames = settling.InOrder();
        if (_byActor.Count == 0) _byActor = null;
        return true;
    }

    public readonly record struct HeldRoute(ToTopic Route, bool ViaMember);

    private sealed class Settling(PayloadId payloadId)
    {
        private List<HeldRoute>? _handedBack;
        private List<HeldRoute>? _held;

        public PayloadId PayloadId { get; } = payloadId;

        public bool Add(HeldRoute route, bool handedBack, int bound)
        {
            if ((_handedBack?.Count ?? 0) + (_held?.Count ?? 0) >= bound) return false;
            if (handedBack) (_handedBack ??= []).Add(route);
            else (_held ??= []).Add(route);
            return true;
        }

        public IReadOnlyList<HeldRoute> InOrder() => [.. _handedBack ?? [], .. _held ?? []];
    }
}
