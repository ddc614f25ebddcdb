using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using SweetGossip.Cluster.Peers;
using Akka.Event;

namespace SweetGossip.Cluster.Claims;

/// <summary>
/// One payload's hub-wide claim (a sharding entity): the first <see cref="ClaimTopic"/> wins and is remembered until the
/// topic expires (clamped to the hub's retention limits), then the entity passivates. Handed off shards pass the claim on.
/// A peer's answer naming the payload (<see cref="PlaceAnswer"/>) goes to the owner's node, the claim's sender (or, for a
/// claim that came over in a hand-over, to the owner member's own topic, <see cref="MemberTopic"/>).
/// </summary>
internal sealed class TopicClaimActor : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TopicClaimRetention _retention;
    private TopicClaimAnswer? _claim;
    // The owner's node (who sent the granted claim); unknown for a claim restored after a hand-over.
    private IActorRef? _ownerNode;
    // Set once this entity asked its shard to passivate it: anything already in its mailbox would be answered by an entity
    // about to stop (a claim granted here would be lost), so it goes back to the region, which buffers it for a fresh entity.
    private bool _passivating;

    public TopicClaimActor(TopicClaimRetention retention)
    {
        _retention = retention;
        Receive<ClaimTopic>(_ => _passivating, Redeliver);
        Receive<RestoreClaim>(_ => _passivating, Redeliver);
        Receive<PlaceAnswer>(_ => _passivating, Redeliver);
        Receive<ClaimTopic>(OnClaim);
        Receive<RestoreClaim>(OnRestore);
        Receive<ForgetClaim>(_ => Passivate());
        Receive<HandOffClaim>(_ => HandOff());
        Receive<PlaceAnswer>(OnPlaceAnswer);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TopicClaimRetention retention) => Akka.Actor.Props.Create(() => new TopicClaimActor(retention));

    private void OnClaim(ClaimTopic claim)
    {
        if (Current() is { } held)
        {
            // The owner's own retry gets its grant again; anyone else learns who owns the topic.
            if (held.Owner == claim.Claimant) _ownerNode = Sender;
            Sender.Tell(held.Owner == claim.Claimant
                ? new TopicClaimed(held.PayloadId, held.Owner, held.ExpiresAt)
                : new AlreadyClaimed(held.PayloadId, held.Owner, held.ExpiresAt));
            return;
        }
        var granted = new TopicClaimed(claim.PayloadId, claim.Claimant, _retention.Clamp(claim.ExpiresAt));
        Hold(granted);
        _ownerNode = Sender;
        Sender.Tell(granted);
    }

    /// <summary>
    /// To the owner's node only, with this entity as sender (so a member that is both the link's and the owner's takes it
    /// too). An entity started by the answer itself (nothing claimed: a junk payload id, or a claim already forgotten)
    /// answers and passivates at once.
    /// </summary>
    private void OnPlaceAnswer(PlaceAnswer place)
    {
        if (Current() is not { } held)
        {
            Sender.Tell(new AnswerNotPlaced(place.PayloadId, place.Answer, Claimed: false));
            if (_claim is null) Passivate();
            return;
        }
        if (_ownerNode is { } owner && !owner.IsNobody()) owner.Tell(place.Answer, Self);
        // Restored after a hand-over, the claim names the owner's member but no actor: that member's own topic reaches its node.
        else DistributedPubSub.Get(Context.System).Mediator.Tell(new Publish(MemberTopic.Of(held.Owner.Member), place.Answer), Self);
    }

    private void OnRestore(RestoreClaim restore)
    {
        if (Current() is { } held)
        {
            // A claim granted here while the handed-off one was on its way: the earlier answer stands (see docs/protocol.md).
            if (held.Owner != restore.Owner)
                _log.Warning("Topic {0}: claim by {1} restored after {2} had claimed it during the hand-over", restore.PayloadId, restore.Owner, held.Owner);
            return;
        }
        Hold(new TopicClaimed(restore.PayloadId, restore.Owner, _retention.Clamp(restore.ExpiresAt)));
    }

    private void Passivate()
    {
        if (_passivating) return;
        _passivating = true;
        Context.Parent.Tell(new Passivate(PoisonPill.Instance));
    }

    // The shard holds messages for a passivating entity and starts a new one with them once this one has stopped.
    private void Redeliver(object message) =>
        ClusterSharding.Get(Context.System).ShardRegion(TopicShard.TypeName).Forward(message);

    private void Hold(TopicClaimed claim)
    {
        _claim = claim;
        Timers.StartSingleTimer(ForgetClaim.Instance, ForgetClaim.Instance, _retention.Until(claim.ExpiresAt));
    }

    private TopicClaimAnswer? Current() => _claim is { } held && !_retention.IsOver(held.ExpiresAt) ? held : null;

    private void HandOff()
    {
        if (Current() is { } held)
            ClusterSharding.Get(Context.System).ShardRegion(TopicShard.TypeName).Tell(new RestoreClaim(held.PayloadId, held.Owner, held.ExpiresAt));
        Context.Stop(Self);
    }
}
