using Akka.Actor;

namespace SweetGossip.Node.Peers;

/// <summary>
/// What a closed connection still waits for before it stops: the topics its node told the link closed that have not
/// released it yet, and the node's word that it named them all (<see cref="DrainLink"/>). Bounded by the node's topics
/// in flight (the holders it names); releases that come before their names are kept until the names come.
/// </summary>
internal sealed class LinkDrain
{
    private readonly HashSet<IActorRef> _awaited = [];
    private readonly HashSet<IActorRef> _releasedEarly = [];

    /// <summary>The node said every holder was named.</summary>
    public bool AllNamed { get; private set; }

    public bool IsComplete => AllNamed && _awaited.Count == 0;

    public int Awaited => _awaited.Count;

    /// <summary>Holders to wait for; returns those not released yet (to watch: one that stops releases the link too).</summary>
    public IReadOnlyList<IActorRef> Await(IEnumerable<IActorRef> holders)
    {
        var added = new List<IActorRef>();
        foreach (var holder in holders)
            if (!_releasedEarly.Remove(holder) && _awaited.Add(holder)) added.Add(holder);
        return added;
    }

    /// <summary>A holder released the link, or stopped. Returns whether it was awaited (an unnamed one is remembered).</summary>
    public bool Released(IActorRef holder)
    {
        if (_awaited.Remove(holder)) return true;
        // Named later (the node names holders before telling them, so this is rare): no more than once each.
        if (!AllNamed) _releasedEarly.Add(holder);
        return false;
    }

    public void NamedAll()
    {
        AllNamed = true;
        _releasedEarly.Clear();
    }
}
