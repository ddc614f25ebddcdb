using SweetGossip.Lightning.Port;
using SweetGossip.Node.Core;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Topics;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Validation;

namespace SweetGossip.Node.Routing;

/// <summary>
/// The order of a node's protocol steps, with no I/O, no actors and no clock but the <c>now</c> it is given (as
/// GossipSub's router is driven by its event loop): a frame from a peer goes in, effects come out (send, judge,
/// accept a topic, route to a topic). It holds what is node-wide and decided in O(1): the peer table and the
/// Lightning node each peer announced, the payloads seen, the favours granted, who asked what, each peer's
/// difficulty. Everything costly per frame (decoding, validating an ask's signatures) is done before, in the
/// peer connections (<see cref="FrameScreen"/>), so it runs on every core. The guardian actor hosts it.
/// </summary>
public sealed class NodeRouter
{
    private readonly NodeSettings _settings;
    private readonly FrameScreen _screen;
    private readonly PeerScoreBook _scores;
    private readonly LightningNodeId _lightningNode;
    private readonly List<PublicKey> _peerOrder = [];
    // The Lightning node each peer announced; default (not valid) until it does: a nullable made each slot 8 bytes larger.
    private readonly Dictionary<PublicKey, LightningNodeId> _peers = [];
    private readonly FavourBook _favours;
    private readonly PayloadOffers _offers = new();
    private readonly DifficultyPolicy _difficulty;
    private readonly Random _random;
    private readonly AskRoutes _asks;
    private readonly IOriginCover _cover;
    // Topics whose actors run (accepted or originated, not yet ended): bounded by max-topics.
    private int _topics;
    // Topics this node originated, until they expire: their replies are announced to arrival subscribers.
    // Made at the first topic originated (few simulated nodes originate; empty, the pair was 112 bytes of every peer).
    private HashSet<PayloadId>? _originated;
    private PriorityQueue<PayloadId, DateTimeOffset>? _originatedByExpiry;
    // Lightning favours waiting for their invoice; dropped after a favour's validity.
    private readonly PendingFavourInvoices _favourInvoices;
    // Announce dissemination (D24): payloads announced here and not yet received, and who to ask next.
    private readonly AnnouncedPayloads _announced;
    // Preimages of favour invoices issued, until paid or a favour's validity (the router, not settlement, settles them).
    private readonly ExpiringEntries<Hash32, Hash32> _favourSecrets;
    // Announcers whose priced favour expired unpaid and unredeemed (not declined, not told the payload arrived): judged with the next effects.
    // Made at the first such announcer (announce dissemination only).
    private List<RouterEffect>? _unredeemed;

    /// <param name="scores">The node's score book (shared with its connections); null: a book of the router's own.</param>
    public NodeRouter(NodeSettings settings, FrameScreen screen, LightningNodeId lightningNode, PeerScoreBook? scores = null)
    {
        (_settings, _screen, _lightningNode) = (settings, screen, lightningNode);
        _scores = scores ?? new PeerScoreBook(settings.Scoring);
        _favours = new FavourBook(settings.Identity.PublicKey,
            new FavourBookLimits(settings.FavourValidity, settings.FavourBookCapacity, settings.FavourBookPerPeerCapacity) { RedeemMargin = settings.FavourRedeemMargin }, settings.Entropy);
        _difficulty = new DifficultyPolicy(settings.BaseDifficultyBits, settings.MaxExtraDifficultyBits, settings.UnthankedPerExtraBit);
        _random = settings.Seed is { } seed ? new Random(seed) : new Random();
        _asks = new AskRoutes(settings.FavourBookCapacity, settings.FavourValidity);
        // Announce mode ranks announcers by hops_remaining: one cover offset per payload keeps it a distance (D24).
        _cover = settings.Dissemination == Dissemination.Announce
            ? new PayloadOriginCover(settings.MaxHops, settings.RelayFeeMsat, settings.OriginCoverKeep)
            : new OriginCover(settings.MaxHops, settings.RelayFeeMsat, settings.OriginCoverKeep);
        _favourInvoices = new PendingFavourInvoices(settings.FavourBookCapacity, settings.FavourBookPerPeerCapacity, settings.FavourValidity);
        _announced = new AnnouncedPayloads(settings.AnnouncedCapacity, settings.MaxAnnouncers, settings.DeliverTimeout, settings.GatherWindow, settings.AnnounceRankByDeliveries);
        _favourSecrets = new ExpiringEntries<Hash32, Hash32>(settings.FavourBookCapacity);
        _favours.Expired = expired =>
        {
            if (expired is not { Announced: true, Excused: false } || _unredeemed?.Count >= settings.FavourBookCapacity) return;
            _unredeemed ??= [];
            // An invoice asked for and never paid nor declined: the peer made this node create it for nothing.
            if (expired is { Priced: true, Paid: false })
                _unredeemed.Add(new Judge(expired.Asker, PeerBehaviour.UnredeemedFavour, $"left its favour for announced payload {expired.Payload} unpaid until it expired"));
            // Proof of work asked for its own announcement and never delivered nor declined: it held the payload's turn for nothing.
            else if (!expired.Priced)
                _unredeemed.Add(new Judge(expired.Asker, PeerBehaviour.UndeliveredFavour, $"never delivered announced payload {expired.Payload} for its proof-of-work favour until it expired"));
        };
    }

    /// <summary>Announce dissemination: when the earliest favour granted for an announcement is overdue (then call <see cref="DeliveriesDue"/>).</summary>
    public DateTimeOffset? NextDeliveryDeadline => _announced.NextDeadline;

    public int PeerCount => _peers.Count;

    /// <summary>A member of a relay hub: conditions for an ask unknown here may answer another member's ask, so they are not judged here.</summary>
    public bool HubMember { get; init; }

    /// <summary>
    /// A hub member's budget per peer for answers it cannot place and publishes to every member; null: none are published
    /// (a hub without pub-sub). Past it the peer is judged for flooding.
    /// </summary>
    public UnplacedOfferBudget? UnplacedBudget
    {
        get => _unplacedBudget;
        init => (_unplacedBudget, _unplaced) = (value?.Validated(), value is null ? null : new UnplacedOffers(value));
    }

    private readonly UnplacedOfferBudget? _unplacedBudget;
    private readonly UnplacedOffers? _unplaced;

    public int SeenCount => _screen.Seen.Count;

    public int OpenFavours => _favours.OpenCount;

    /// <summary>Topics whose actors run (accepted or originated, not yet ended).</summary>
    public int TopicsInFlight => _topics;

    public bool IsLinked(PublicKey peer) => _peers.ContainsKey(peer);

    // ------------------------------------------------------------------ peers

    /// <summary>A payload seen before a restart (the journal's), so it is not carried twice.</summary>
    public void Recover(PayloadId payloadId, DateTimeOffset expiresAt) => _screen.Seen.TryAdd(payloadId, expiresAt);

    /// <summary>A link is up: the peer joins the fanout table and is told, first of all, where this node is paid.</summary>
    public IReadOnlyList<RouterEffect> PeerUp(PublicKey peer)
    {
        if (peer.Equals(_settings.Identity.PublicKey))
            return [new Judge(peer, PeerBehaviour.InvalidFrame, "connected to itself")];
        if (!_peers.ContainsKey(peer)) _peerOrder.Add(peer);
        _peers[peer] = default; // a new link announces afresh
        // Grown 3 → 7 → 17 slots of 64 bytes, a node of 8 links kept 9 empty ones (memory per simulated peer). Never enumerated: order is not at stake.
        _peers.TrimExcess();
        return [new SendTo(peer, new LightningNodeAnnouncement(Bytes.Copy(_lightningNode.ToBytes())))];
    }

    public void PeerDown(PublicKey peer)
    {
        if (_peers.Remove(peer)) _peerOrder.Remove(peer);
        _unplaced?.Forget(peer);
    }

    /// <summary>Up to <paramref name="count"/> linked peers not in <paramref name="exclude"/>, chosen at random (seeded in simulations).</summary>
    /// <summary>Peers that asked this node for a favour for <paramref name="payloadId"/>: they have it already.</summary>
    public IReadOnlyCollection<PublicKey> OfferersOf(PayloadId payloadId) => _offers.Offerers(payloadId);

    public IReadOnlyList<PublicKey> ChoosePeers(IReadOnlyCollection<PublicKey> exclude, int count) => FanoutSelector.Choose(_peerOrder, exclude, count, _random);

    /// <summary>
    /// A hub member's choice: up to <paramref name="count"/> of the peers linked here and <paramref name="elsewhere"/>
    /// (peers other members of the hub link to), uniformly, so every member's peers are asked for every member's topics.
    /// </summary>
    public IReadOnlyList<PublicKey> ChoosePeers(IReadOnlyCollection<PublicKey> exclude, int count, IReadOnlyList<PublicKey> elsewhere)
    {
        if (elsewhere.Count == 0) return ChoosePeers(exclude, count);
        var candidates = new List<PublicKey>(_peerOrder.Count + elsewhere.Count);
        candidates.AddRange(_peerOrder);
        foreach (var peer in elsewhere)
            if (!_peers.ContainsKey(peer) && !peer.Equals(_settings.Identity.PublicKey)) candidates.Add(peer);
        return FanoutSelector.Choose(candidates, exclude, count, _random);
    }

    /// <summary>A favour granted to <paramref name="peer"/> was thanked or not: the difficulty asked of it next (the observer hears of a change).</summary>
    public void FavourOutcome(PublicKey peer, bool thanked, DateTimeOffset now)
    {
        var before = _difficulty.BitsFor(peer);
        if (thanked) _difficulty.Thanked(peer);
        else _difficulty.Unthanked(peer);
        var after = _difficulty.BitsFor(peer);
        if (after != before) _settings.Observer.DifficultyChanged(_settings.Identity.PublicKey, peer, after, thanked, now);
    }

    /// <summary>A topic's actor sent an ask: the conditions that answer it go to that topic.</summary>
    public void RegisterAsk(AskId askId, PayloadId payloadId, DateTimeOffset now) => _asks.Add(askId, payloadId, now);

    /// <summary>A topic's actor stopped: conditions still to come for its asks have nowhere to go.</summary>
    public void TopicEnded(IReadOnlyList<AskId> asks)
    {
        _topics = Math.Max(0, _topics - 1);
        foreach (var ask in asks) _asks.Forget(ask);
    }

    /// <summary>The size of every map the router keeps (all bounded): for <c>node status</c> and the bounds' tests.</summary>
    public IReadOnlyDictionary<string, int> MapSizes() => new SortedDictionary<string, int>
    {
        ["peers"] = _peers.Count,
        ["payloads-seen"] = _screen.Seen.Count,
        ["requests-verified"] = _screen.Verified.Count,
        ["favours-open"] = _favours.OpenCount,
        ["favour-askers"] = _favours.AskerCount,
        ["favour-invoices-pending"] = _favourInvoices.Count,
        ["asks-routed"] = _asks.Count,
        ["asks-queued"] = _asks.QueuedCount,
        ["offers"] = _offers.Count,
        ["originated"] = _originated?.Count ?? 0,
        ["topics-in-flight"] = _topics,
        ["difficulty-peers"] = _difficulty.Count,
        ["payloads-announced"] = _announced.Count,
        ["unplaced-offer-peers"] = _unplaced?.Count ?? 0,
    };

    // ------------------------------------------------------------------ frames

    /// <param name="verified">An ask whose request the peer connection's screen validated just now.</param>
    public IReadOnlyList<RouterEffect> OnFrame(FrameReceived received, DateTimeOffset now)
    {
        var peer = received.Peer;
        if (!_peers.TryGetValue(peer, out var announced)) return []; // a frame racing its link's end
        LightningNodeId? payee = announced.IsValid ? announced : null;
        if (_scores.IsBanned(peer, now)) return []; // judged below its threshold: what it sent before its link went counts for nothing
        var withPayee = payee is { } node ? received with { PeerLightningNode = node } : received;
        return WithUnredeemed(received.Frame switch
        {
            AskForFavour ask => OnAsk(peer, ask, received.Verified, now),
            TopicAnnouncement announcement => OnAnnouncement(peer, announcement, now),
            AlreadyHave have => [new ToTopic(have.PayloadId, received)],
            FavourDeclined declined => OnDeclined(peer, declined, now),
            Broadcast broadcast => OnBroadcast(peer, broadcast, now),
            FavourConditions conditions => _asks.TryTake(conditions.AskId, now, out var payloadId)
                ? [new ToTopic(payloadId, withPayee)]
                : HubMember
                    ? Unplaced(withPayee, now)
                    : [new Judge(peer, PeerBehaviour.InvalidFrame, $"conditions for unknown ask {conditions.AskId}")],
            Reply reply => OnReply(withPayee, reply),
            ThankYou thanks => [new ToTopic(thanks.PayloadId, received)],
            Validate validate => [new ToTopic(validate.PayloadId, received)],
            Ack ack => [new ToDeliveries(ack.PayloadId, received), new ToTopic(ack.PayloadId, received)],
            LightningNodeAnnouncement announcement => OnLightningAnnouncement(peer, payee, announcement),
            _ => [],
        });
    }

    private IReadOnlyList<RouterEffect> WithUnredeemed(IReadOnlyList<RouterEffect> effects)
    {
        if (_unredeemed is not { Count: > 0 }) return effects;
        List<RouterEffect> all = [.. effects, .. _unredeemed];
        _unredeemed.Clear();
        return all;
    }

    /// <summary>
    /// A hub member: an answer from a peer linked here that no ask, topic or known owner here takes (the peer may have been
    /// asked by another member before it redialled here). Each one published costs a copy on every member and a peer can
    /// make them up at will, so they are published within the peer's budget only; past it the peer is judged a flooder.
    /// </summary>
    public IReadOnlyList<RouterEffect> Unplaced(FrameReceived received, DateTimeOffset now)
    {
        if (_unplaced is null) return [];
        return _unplaced.TryTake(received.Peer, now)
            ? [new ToOtherMembers(received)]
            : [new Judge(received.Peer, PeerBehaviour.Flood,
                $"{received.Frame.Name} no ask or topic here takes, past {_unplacedBudget!.PerSecond}/s (burst {_unplacedBudget.Burst}) of such answers")];
    }

    /// <summary>
    /// A hub member: a frame a peer sent on another member's link, for a topic of this member's (that member screened it,
    /// rate-limited it and added the Lightning node the peer announced there). Only the answers a topic waits for are
    /// routed; they reach only a topic that asked (conditions) or broadcast to (replies) that peer, which it checks.
    /// </summary>
    public IReadOnlyList<RouterEffect> OnFrameViaMember(FrameReceived received, DateTimeOffset now) => received.Frame switch
    {
        FavourConditions conditions => _asks.TryTake(conditions.AskId, now, out var payloadId) ? [new ToTopic(payloadId, received)] : [],
        Reply reply => OnReply(received, reply),
        ThankYou thanks => [new ToTopic(thanks.PayloadId, received)],
        Validate validate => [new ToTopic(validate.PayloadId, received)],
        Ack ack => [new ToDeliveries(ack.PayloadId, received), new ToTopic(ack.PayloadId, received)],
        AlreadyHave have => [new ToTopic(have.PayloadId, received)],
        _ => [],
    };

    private IReadOnlyList<RouterEffect> OnLightningAnnouncement(PublicKey peer, LightningNodeId? known, LightningNodeAnnouncement announcement)
    {
        if (!LightningNodeId.TryFromBytes(announcement.NodeId.Span, out var node))
            return [new Judge(peer, PeerBehaviour.InvalidFrame, "announced a Lightning node id that is not a secp256k1 point")];
        if (known is { } before && before != node)
            return [new Judge(peer, PeerBehaviour.InvalidFrame, $"announced Lightning node {node} after {before} on the same link")];
        _peers[peer] = node;
        return [];
    }

    private IReadOnlyList<RouterEffect> OnAsk(PublicKey peer, AskForFavour ask, bool verified, DateTimeOffset now)
    {
        var payload = ask.SignedRequest.Payload;
        if (_screen.Seen.TryGetExpiry(payload.PayloadId, out var seenUntil))
        {
            _settings.Observer.DuplicateOffered(_settings.Identity.PublicKey, payload.PayloadId, peer, now);
            // No favour for a topic this node already carries. Another path offering it is normal gossip;
            // the same peer offering it again is a chatterbox. Offers are kept only for validated requests.
            _offers.Expire(now);
            return _offers.FirstFrom(payload.PayloadId, peer, seenUntil)
                ? []
                : [new Judge(peer, PeerBehaviour.Duplicate, $"asked again for payload {payload.PayloadId}, already seen")];
        }
        if (!verified)
        {
            // Not screened by a connection (tests that hand frames straight to the node): validate here.
            var known = _screen.Verified.Contains(ask.SignedRequest);
            var verdict = RequestValidator.Validate(ask.SignedRequest, _settings.Trusted, now, signaturesAlreadyVerified: known);
            if (!verdict.IsValid)
                return [new Judge(peer, PeerBehaviour.InvalidFrame, $"ask for payload {payload.PayloadId}: {verdict.Reason}")];
            if (!known) _screen.Verified.Add(ask.SignedRequest, now);
        }
        if (_topics >= _settings.MaxTopics)
            return [new Note($"no favour for {PeerConnection.Short(peer)}'s ask for payload {payload.PayloadId}: {_topics} topics in flight, the most max-topics allows")];
        // Validated: this peer has offered the payload (asking for it again once it is seen is a chatterbox's).
        _offers.Expire(now);
        _offers.FirstFrom(payload.PayloadId, peer, payload.ExpiresAt);
        if (_settings.FavourPriceMsat is { } priceMsat)
            return GrantLightningFavour(peer, ask, payload.PayloadId, priceMsat, now);
        var grant = _favours.GrantPow(ask, peer, _difficulty.BitsFor(peer), now);
        return grant.Granted ? [new SendTo(peer, grant.Conditions!)] : Refuse(peer, payload.PayloadId, grant.Refusal!.Value, grant.Reason!);
    }

    // ------------------------------------------------------------------ announce dissemination (D24)

    private IReadOnlyList<RouterEffect> OnDeclined(PublicKey peer, FavourDeclined declined, DateTimeOffset now)
    {
        // Declined in the open before its deliver deadline: not held against it when the favour expires (it still counts
        // against its cap until then). Later it held the payload's turn for nothing, as if it never delivered.
        var (inTime, following) = _announced.Declined(peer, declined.PayloadId, now);
        if (inTime) _favours.Excuse(peer, declined.PayloadId);
        return following is { } next && !_screen.Seen.Contains(declined.PayloadId) && IsLinked(next.Peer)
            ? GrantAnnounced(next.Peer, next.Announcement, now)
            : [];
    }

    /// <summary>
    /// An ask without the payload. Seen: silence (another path announcing it is normal gossip; the same peer again is a
    /// chatterbox). Not seen: a favour for the first announcer only, bound to the announced payload hash; later
    /// announcers wait in line for <see cref="DeliveriesDue"/>, in case that favour is never delivered.
    /// </summary>
    private IReadOnlyList<RouterEffect> OnAnnouncement(PublicKey peer, TopicAnnouncement announcement, DateTimeOffset now)
    {
        var payloadId = announcement.PayloadId;
        if (_screen.Seen.TryGetExpiry(payloadId, out var seenUntil))
        {
            _offers.Expire(now);
            return _offers.FirstFrom(payloadId, peer, seenUntil)
                ? []
                : [new Judge(peer, PeerBehaviour.Duplicate, $"announced payload {payloadId} again, already seen")];
        }
        if (_topics >= _settings.MaxTopics)
            return [new Note($"no favour for {PeerConnection.Short(peer)}'s announcement of payload {payloadId}: {_topics} topics in flight, the most max-topics allows")];
        return _announced.OnAnnouncement(peer, announcement, now) switch
        {
            AnnouncementDecision.Grant => GrantAnnounced(peer, announcement, now),
            AnnouncementDecision.Duplicate => [new Judge(peer, PeerBehaviour.Duplicate, $"announced payload {payloadId} again")],
            _ => [],
        };
    }

    private IReadOnlyList<RouterEffect> GrantAnnounced(PublicKey peer, TopicAnnouncement announcement, DateTimeOffset now)
    {
        if (_settings.FavourPriceMsat is { } priceMsat)
        {
            var issuing = GrantLightningFavour(peer, announcement, announcement.PayloadId, priceMsat, now);
            // Its broadcast is awaited from now: an invoice that is never issued or paid passes the turn at the deadline.
            if (issuing is [IssueFavourInvoice]) _announced.Granted(peer, announcement.PayloadId, now);
            else _announced.NotGranted(announcement.PayloadId);
            return issuing;
        }
        var grant = _favours.GrantPow(announcement, peer, _difficulty.BitsFor(peer), now);
        if (!grant.Granted)
        {
            _announced.NotGranted(announcement.PayloadId);
            return Refuse(peer, announcement.PayloadId, grant.Refusal!.Value, grant.Reason!);
        }
        _announced.Granted(peer, announcement.PayloadId, now);
        return [new SendTo(peer, grant.Conditions!)];
    }

    /// <summary>
    /// Favours granted for announcements and not redeemed within deliver-timeout: each payload's next announcer is
    /// granted one, so a peer that announces and never delivers cannot cut this node off the topic.
    /// </summary>
    public IReadOnlyList<RouterEffect> DeliveriesDue(DateTimeOffset now)
    {
        _favours.Expire(now);
        var effects = _unredeemed is null ? new List<RouterEffect>() : new List<RouterEffect>(_unredeemed);
        _unredeemed?.Clear();
        foreach (var (peer, announcement) in _announced.Due(now))
        {
            if (_screen.Seen.Contains(announcement.PayloadId)) continue;
            if (!IsLinked(peer))
            {
                // Gone: its turn passes after one more deadline, to the announcer after it.
                _announced.Granted(peer, announcement.PayloadId, now);
                continue;
            }
            effects.Add(new Note($"payload {announcement.PayloadId}: favour not delivered within {_settings.DeliverTimeout}; granting one to {PeerConnection.Short(peer)}, which announced it too"));
            effects.AddRange(GrantAnnounced(peer, announcement, now));
        }
        return effects;
    }

    /// <summary>An ask for a payload the peer already holds a favour for is a chatterbox's; the other refusals are load.</summary>
    private static IReadOnlyList<RouterEffect> Refuse(PublicKey peer, PayloadId payloadId, FavourRefusal refusal, string reason) => refusal == FavourRefusal.AlreadyOpen
        ? [new Judge(peer, PeerBehaviour.Duplicate, $"asked again for payload {payloadId}: {reason}")]
        : [new Note($"no favour for {PeerConnection.Short(peer)}'s ask for payload {payloadId}: {reason}")];

    /// <param name="offer">The <see cref="AskForFavour"/> or <see cref="TopicAnnouncement"/> the favour answers.</param>
    private IReadOnlyList<RouterEffect> GrantLightningFavour(PublicKey peer, Frame offer, PayloadId payloadId, ulong priceMsat, DateTimeOffset now)
    {
        // The book's rules apply before an invoice is made (it costs a journaled preimage), and again when it is issued.
        if (_favours.CheckGrant(peer, payloadId, now) is { } refused) return Refuse(peer, payloadId, refused.Refusal, refused.Reason);
        if (_favourInvoices.Waiting(peer, payloadId)) return Refuse(peer, payloadId, FavourRefusal.AlreadyOpen, "its favour's invoice is being issued");
        // An announcement is not a validated signed request: it costs nothing to fake, so the invoices one announcer can
        // have made and left unredeemed are few (fanout invoices only answer a fully validated request).
        if (offer is TopicAnnouncement
            && _favours.OpenPricedAnnouncementsFor(peer) + _favourInvoices.AnnouncementsFor(peer) is var unredeemed && unredeemed >= _settings.AnnounceMaxUnredeemedPricedFavours)
            return Refuse(peer, payloadId, FavourRefusal.PeerAtCapacity, $"holds {unredeemed} priced favours for announcements not redeemed, the most announce.max-unredeemed-priced-favours allows");
        var preimage = _settings.Entropy.NewSecret();
        if (!_favourInvoices.TryAdd(preimage, peer, offer, payloadId, priceMsat, now, out var why)) return Refuse(peer, payloadId, FavourRefusal.PeerAtCapacity, why);
        // A hold invoice by hash only: the router settles it on acceptance if the favour is still worth it, else refunds.
        return [new IssueFavourInvoice(new IssueInvoice(preimage.Sha256(), priceMsat, "sweetgossip favour", _settings.FavourValidity, _settings.ReplyCltvExpiryDelta))];
    }

    /// <summary>
    /// A favour's invoice was paid (accepted, not yet settled): settle it only if the favour is still open and, for an
    /// announcement, its payload has not arrived meanwhile; otherwise refund the payer (a slow payer whose turn passed
    /// to another announcer must not pay for a broadcast that will be dropped). A paid favour is never evicted.
    /// </summary>
    public IReadOnlyList<RouterEffect> OnFavourInvoiceAccepted(Hash32 paymentHash, DateTimeOffset now)
    {
        _favourSecrets.Expire(now);
        if (!_favourSecrets.TryTake(paymentHash, now, out var preimage))
            return WithUnredeemed([new CancelFavourInvoice(new CancelInvoice(paymentHash)), new Note($"favour invoice {paymentHash} paid, but its favour is no longer known here: refunded")]);
        var open = _favours.FindByPayment(paymentHash);
        var why = open is not { } favour ? "its favour expired or was evicted"
            : favour.Announced && _screen.Seen.Contains(favour.Payload) ? $"payload {favour.Payload} arrived already"
            : !_favours.MarkPaid(paymentHash, now) ? $"its favour expired or ends within the redeem margin ({_settings.FavourRedeemMargin})"
            : null;
        return WithUnredeemed(why is null
            ? [new SettleFavourInvoice(new SettleInvoice(preimage), paymentHash, open!.Value.PriceMsat)]
            : [new CancelFavourInvoice(new CancelInvoice(paymentHash)), new Note($"favour invoice {paymentHash} paid, but {why}: refunded")]);
    }

    /// <summary>Settlement issued a favour's invoice: grant the conditions that name it.</summary>
    public IReadOnlyList<RouterEffect> OnFavourInvoiceIssued(HoldInvoice invoice, DateTimeOffset now)
    {
        // Not cancelled when unknown: the same answer may come twice (reconciled by a lookup), and the favour it granted is open.
        // One answered after its favour's validity stays open to its expiry, but nobody was told its payment request.
        if (!_favourInvoices.TryTake(invoice.PaymentHash, now, out var pending)) return [];
        // Announced: arrived meanwhile by another path, so no favour (the announce bookkeeping has forgotten it).
        if (pending.Offer is TopicAnnouncement && _screen.Seen.Contains(pending.Payload)) return [new CancelFavourInvoice(new CancelInvoice(invoice.PaymentHash))];
        var grant = pending.Offer is TopicAnnouncement announcement
            ? _favours.GrantLightning(announcement, pending.Peer, pending.PriceMsat, invoice.PaymentRequest, invoice.PaymentHash, invoice.ExpiresAt, now)
            : _favours.GrantLightning((AskForFavour)pending.Offer, pending.Peer, pending.PriceMsat, invoice.PaymentRequest, invoice.PaymentHash, invoice.ExpiresAt, now);
        // Refused now: nobody will be told of the invoice, so it is cancelled rather than left payable to its expiry.
        if (!grant.Granted) return [new CancelFavourInvoice(new CancelInvoice(invoice.PaymentHash)), .. Refuse(pending.Peer, pending.Payload, grant.Refusal!.Value, grant.Reason!)];
        _favourSecrets.TryAdd(invoice.PaymentHash, pending.Preimage, now + _settings.FavourValidity, now);
        // Watched before the payer hears of it: its acceptance comes back to OnFavourInvoiceAccepted.
        return [new WatchFavourInvoice(invoice.PaymentHash), new SendTo(pending.Peer, grant.Conditions!)];
    }

    private IReadOnlyList<RouterEffect> OnBroadcast(PublicKey peer, Broadcast broadcast, DateTimeOffset now)
    {
        // What the favour asked is what the broadcast earned: the topic spends at most a multiple of it.
        var earned = _favours.Find(broadcast.FavourId) is { } favour ? Earnings(favour) : TopicEarnings.Nothing;
        // A favour granted for an announcement is bound to the payload hash only: the request's signatures are checked now.
        var announced = _favours.IsAnnounced(broadcast.FavourId);
        var redeemed = _favours.Redeem(broadcast, peer, now);
        if (!redeemed.IsValid)
            return [new Judge(peer, PeerBehaviour.WrongProof, redeemed.Reason)];
        Observation.NodeMetrics.FavourRedeemed();
        if (broadcast.PathFeeMsat > ulong.MaxValue - _settings.RelayFeeMsat)
            return [new Judge(peer, PeerBehaviour.InvalidFrame, $"path_fee_msat {broadcast.PathFeeMsat} leaves no room for a relay fee below 2^64")];
        var payload = broadcast.SignedRequest.Payload;
        // A favour is granted only after the ask's full validation, and redeeming checks the broadcast carries
        // the very signed request of the ask: its signatures are verified already. The time-dependent checks
        // run again, because the request could have expired or been revoked since.
        var known = !announced || _screen.Verified.Contains(broadcast.SignedRequest);
        var verdict = RequestValidator.Validate(broadcast.SignedRequest, _settings.Trusted, now, signaturesAlreadyVerified: known);
        if (!verdict.IsValid)
            return [new Judge(peer, PeerBehaviour.InvalidFrame, verdict.Reason)];
        if (!known) _screen.Verified.Add(broadcast.SignedRequest, now);
        // Two favours granted for one payload before either broadcast arrived: a race, and paid for.
        if (!_screen.Seen.TryAdd(payload.PayloadId, payload.ExpiresAt))
        {
            Observation.NodeMetrics.TopicDeduplicated(ask: false);
            // In announce mode a second broadcast is the only way a payload arrives twice: count the copy.
            if (_settings.Dissemination == Dissemination.Announce)
                _settings.Observer.DuplicateOffered(_settings.Identity.PublicKey, payload.PayloadId, peer, now);
            return [];
        }
        _screen.Seen.Expire(now);
        _settings.Observer.TopicAccepted(_settings.Identity.PublicKey, payload.PayloadId, peer, broadcast.HopsRemaining, now);
        // GossipSub's IDONTWANT: the other announcers holding a favour for it need not solve or send it.
        // (Fanout grants no favour for an announcement: nothing to tell, and no deliverers to remember.)
        var told = _settings.Dissemination == Dissemination.Announce ? _announced.Received(payload.PayloadId, peer, now) : [];
        // Told it need not deliver: its unpaid favour goes, and one left open (paid, or for proof of work) may still be
        // redeemed harmlessly but is not held against it when it expires, unless its deliver deadline had passed: then
        // it held the payload's turn until another announcer was granted, and is judged as if it never delivered.
        // (A priced one past it stays until it expires unpaid: a late payment is refunded, the payload being seen.)
        foreach (var (other, inTime) in told)
        {
            if (!inTime) continue;
            _favours.WithdrawUnpaid(other, payload.PayloadId);
            _favours.Excuse(other, payload.PayloadId);
        }
        var alreadyHave = told.Select(t => (RouterEffect)new SendTo(t.Peer, new AlreadyHave(payload.PayloadId)));
        return [.. alreadyHave, new Judge(peer, PeerBehaviour.FirstDelivery, $"payload {payload.PayloadId}"), Accepted(new AcceptTopic(broadcast, peer, earned, _cover.Onward(broadcast.HopsRemaining, broadcast.PathFeeMsat, _random)))];
    }

    private AcceptTopic Accepted(AcceptTopic accept)
    {
        _topics++;
        return accept;
    }

    private static TopicEarnings Earnings(IssuedFavour favour) => favour.Conditions switch
    {
        PowFavourConditions pow => new TopicEarnings(PowVerifier.ExpectedHashes(pow.DifficultyBits), 0),
        LightningFavourConditions lightning => new TopicEarnings(0, lightning.PriceMsat),
        _ => TopicEarnings.Nothing,
    };

    private IReadOnlyList<RouterEffect> OnReply(FrameReceived received, Reply reply)
    {
        var route = new ToTopic(reply.PayloadId, received);
        return _originated?.Contains(reply.PayloadId) == true
            ? [new AnnounceArrival(new ReplyArrived(reply.PayloadId, received.Peer, reply.Invoice)), route]
            : [route];
    }

    // ------------------------------------------------------------------ topics of this node

    /// <summary>Signs a new topic with this node's certificate key, under a fresh reply key; remembered as seen.</summary>
    public (SignedRequestPayload Request, IReadOnlyList<RouterEffect> Effects) Originate(OriginateTopic originate, DateTimeOffset now)
    {
        now = UnixTime.Truncate(now);
        var replyKey = _settings.Entropy.NewKey();
        var request = SignedRequestPayload.Sign(
            new RequestPayload(new PayloadId(_settings.Entropy.NewId()), originate.Topic, _settings.Certificate, replyKey.PublicKey, now, now + originate.Lifetime),
            _settings.CertificateKey);
        _screen.Seen.TryAdd(request.Payload.PayloadId, request.Payload.ExpiresAt);
        _originated ??= [];
        _originatedByExpiry ??= new();
        while (_originatedByExpiry.TryPeek(out _, out var expiresAt) && expiresAt <= now)
            _originated.Remove(_originatedByExpiry.Dequeue());
        _originated.Add(request.Payload.PayloadId);
        _originatedByExpiry.Enqueue(request.Payload.PayloadId, request.Payload.ExpiresAt);
        _settings.Observer.TopicOriginated(_settings.Identity.PublicKey, request.Payload.PayloadId, now);
        _topics++; // counted, never refused: the node's own topics are its app's business
        return (request, [new StartOwnTopic(request, replyKey, _cover.ForOrigin(_random))]);
    }
}
