using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Topics;

/// <summary>What the reply rules decided about a peer.</summary>
public abstract record ReplyVerdict
{
    /// <summary>The peer did right by this topic: its score and its difficulty here improve.</summary>
    public sealed record Thanked(PublicKey Peer, string Detail) : ReplyVerdict;

    /// <summary>The whitepaper's "lack of thank you": the peer's next favours here cost more.</summary>
    public sealed record Unthanked(PublicKey Peer, string Detail) : ReplyVerdict;

    /// <summary>The peer sent what it should not have.</summary>
    public sealed record Misbehaved(PublicKey Peer, PeerBehaviour Behaviour, string Detail) : ReplyVerdict;
}

/// <summary>
/// The reply half of a topic, with no I/O. A Reply is taken only from a peer this topic was broadcast to, once per
/// payment hash, at most <c>maxReplies</c> in all (each opens a relay and a hold invoice, and travels upstream for
/// every hop to pay again). Thanks, as the whitepaper has them, flow back along the replies: a peer whose reply this
/// node paid sends its ThankYou (the payment's preimage) within <c>thankYouTimeout</c> or its next favours here cost
/// more; and a relay's source, the peer that asked this node for the favour, is judged once per topic: thanked when
/// a reply it was carried is paid, unthanked when every reply carried for it ended unpaid, never for another's fault.
/// </summary>
public sealed class TopicReplies(PublicKey? source, int maxReplies, TimeSpan thankYouTimeout)
{
    private readonly Dictionary<Hash32, Admitted> _replies = [];
    private bool _sourceJudged;

    public int Count => _replies.Count;

    /// <summary>Whether the reply is taken; if not, the verdict on its sender.</summary>
    public ReplyVerdict? Admit(PublicKey peer, Reply reply, IReadOnlySet<PublicKey> broadcastTo)
    {
        if (!broadcastTo.Contains(peer))
            return new ReplyVerdict.Misbehaved(peer, PeerBehaviour.InvalidFrame, $"sent a reply for payload {reply.PayloadId}, which this node did not broadcast to it");
        if (_replies.ContainsKey(reply.PaymentHash))
            return new ReplyVerdict.Misbehaved(peer, PeerBehaviour.Duplicate, $"sent the reply {reply.PaymentHash.ToHex()[..16]} for payload {reply.PayloadId} again");
        if (_replies.Count >= maxReplies)
            return new ReplyVerdict.Misbehaved(peer, PeerBehaviour.Duplicate, $"sent a reply for payload {reply.PayloadId} past the topic's {maxReplies}");
        _replies[reply.PaymentHash] = new Admitted(peer);
        return null;
    }

    /// <summary>This node's payment for the reply settled (it learned the preimage): its sender owes a ThankYou.</summary>
    public void DownstreamPaid(Hash32 paymentHash, DateTimeOffset now)
    {
        if (_replies.TryGetValue(paymentHash, out var reply) && reply.ThankYouBy is null && !reply.ThankYouReceived)
            reply.ThankYouBy = now + thankYouTimeout;
    }

    public ReplyVerdict? OnThankYou(PublicKey peer, ThankYou thanks)
    {
        var paymentHash = thanks.PaymentPreimage.Sha256();
        if (!_replies.TryGetValue(paymentHash, out var reply) || !reply.Sender.Equals(peer))
            return new ReplyVerdict.Misbehaved(peer, PeerBehaviour.InvalidFrame, $"thanked for payload {thanks.PayloadId} with the preimage of no reply it sent");
        if (reply.ThankYouReceived) return null; // the same thanks twice: nothing more to count
        reply.ThankYouReceived = true;
        reply.ThankYouBy = null;
        return new ReplyVerdict.Thanked(peer, $"thanked for its reply to payload {thanks.PayloadId}");
    }

    /// <summary>Senders whose ThankYou is overdue (each counted once).</summary>
    public IReadOnlyList<ReplyVerdict> Due(DateTimeOffset now)
    {
        List<ReplyVerdict>? due = null;
        foreach (var reply in _replies.Values)
            if (reply.ThankYouBy is { } by && by <= now)
            {
                reply.ThankYouBy = null;
                (due ??= []).Add(new ReplyVerdict.Unthanked(reply.Sender, "its reply was paid and it sent no ThankYou"));
            }
        return due ?? [];
    }

    /// <summary>The earliest ThankYou deadline still open, if any.</summary>
    public DateTimeOffset? NextDeadline()
    {
        DateTimeOffset? next = null;
        foreach (var reply in _replies.Values)
            if (reply.ThankYouBy is { } by && (next is null || by < next)) next = by;
        return next;
    }

    /// <summary>A relayed reply ended: paid by upstream, or not (cancelled, or the relay was refused).</summary>
    public ReplyVerdict? RelayEnded(Hash32 paymentHash, bool upstreamPaid)
    {
        if (source is not { } upstream || _sourceJudged || !_replies.TryGetValue(paymentHash, out var reply) || reply.Ended) return null;
        reply.Ended = true;
        if (upstreamPaid)
        {
            _sourceJudged = true;
            return new ReplyVerdict.Thanked(upstream, "a reply carried for it was paid");
        }
        if (_replies.Values.Any(r => !r.Ended)) return null;
        _sourceJudged = true;
        return new ReplyVerdict.Unthanked(upstream, $"none of the {_replies.Count} replies carried for it was paid");
    }

    private sealed class Admitted(PublicKey sender)
    {
        public PublicKey Sender { get; } = sender;
        public DateTimeOffset? ThankYouBy { get; set; }
        public bool ThankYouReceived { get; set; }
        public bool Ended { get; set; }
    }
}
