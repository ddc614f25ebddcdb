using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Validation;

namespace SweetGossip.Protocol.Gossip;

/// <summary>How many favours a middleman keeps open, and for how long.</summary>
/// <param name="Capacity">Open favours in all.</param>
/// <param name="PerPeerCapacity">Open favours one asking peer may hold at once.</param>
public sealed record FavourBookLimits(TimeSpan Validity, int Capacity, int PerPeerCapacity)
{
    /// <summary>
    /// How much of a priced favour must be left for its payer to redeem it (learn the preimage, send the broadcast):
    /// a payment later than that is not kept (<see cref="FavourBook.MarkPaid"/>), a grant whose invoice leaves less than
    /// twice this is refused (time to pay, then to redeem), and a paid favour is still redeemed this long past its end.
    /// </summary>
    public TimeSpan RedeemMargin { get; init; }

    public FavourBookLimits Validated()
    {
        if (Validity <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(Validity), Validity, "a favour's validity must be positive");
        // Twice the margin is what a grant needs left, and a grant has less than the validity (its invoice came first).
        if (RedeemMargin < TimeSpan.Zero || 2 * RedeemMargin >= Validity)
            throw new ArgumentOutOfRangeException(nameof(RedeemMargin), RedeemMargin, $"the redeem margin must be at least 0 and under half the validity ({Validity})");
        if (Capacity < 1) throw new ArgumentOutOfRangeException(nameof(Capacity), Capacity, "the favour book needs room for at least one favour");
        if (PerPeerCapacity < 1 || PerPeerCapacity > Capacity)
            throw new ArgumentOutOfRangeException(nameof(PerPeerCapacity), PerPeerCapacity, $"per-peer capacity must be between 1 and the book's capacity ({Capacity})");
        return this;
    }
}

/// <summary>
/// A middleman's record of the favours it granted: conditions out for an ask, redeemed at most once by the
/// Broadcast that proves them, forgotten when they expire. An asking peer holds at most one open favour per
/// payload and at most <see cref="FavourBookLimits.PerPeerCapacity"/> in all, so asking again (for the same
/// payload, or for many) cannot fill the book; when the book is full an ask is still served, at the expense of the
/// oldest favour not paid for (an honest asker redeems its favours within moments). A favour whose invoice was paid
/// (<see cref="MarkPaid"/>) is never evicted: its payer would lose the price and be judged for a "favour unknown";
/// a book full of paid favours refuses new grants instead. A paid favour stays redeemable for the redeem margin past
/// its end: the payer's money is taken at settlement, before its broadcast can arrive. Every operation is O(1) but
/// placing a favour in expiry order, a bounded walk back from the end (one step in the usual case), and the first
/// payment, which lists the unpaid ones once.
/// </summary>
public sealed class FavourBook
{
    private readonly PublicKey _self;
    private readonly FavourBookLimits _limits;
    private readonly Entropy _entropy;
    private readonly Dictionary<FavourId, Open> _open = [];
    private readonly Dictionary<(PublicKey Asker, PayloadId Payload), FavourId> _byAskerAndPayload = [];
    // Open favours per asker: only counted (a list per asker and a node per favour were ≈ 100 bytes a favour).
    private readonly Dictionary<PublicKey, int> _byAsker = [];
    // In expiry order: grant order but for a priced favour, which ends with its invoice (issued earlier, the answers of
    // several in any order), so it is placed back from the end. A clock stepping back only delays an expiry.
    private readonly LinkedList<FavourId> _byAge = new();
    // The favours not paid for, in expiry order: the only ones eviction may take. Made at the first payment: until then
    // every open favour is unpaid and _byAge is this list (a second node per favour, 56 bytes, in every proof-of-work run).
    private LinkedList<FavourId>? _unpaid;
    // Made at the first priced favour (none in proof-of-work runs; empty, 80 bytes of every simulated peer).
    private Dictionary<Hash32, FavourId>? _byPaymentHash;
    // Made at the first priced announcement's favour (none in proof-of-work runs): an empty table is 80 bytes per simulated peer.
    private Dictionary<PublicKey, int>? _pricedAnnouncements;

    public FavourBook(PublicKey self, FavourBookLimits limits, Entropy? entropy = null)
    {
        (_self, _limits, _entropy) = (self, limits.Validated(), entropy ?? Entropy.Secure);
    }

    public FavourBook(PublicKey self, TimeSpan validity, int capacity, Entropy? entropy = null)
        : this(self, new FavourBookLimits(validity, capacity, capacity), entropy)
    {
    }

    public int OpenCount => _open.Count;

    /// <summary>Told of every favour that expired unredeemed (not of those evicted, redeemed or withdrawn): asker, payload, whether it was granted for an announcement, paid, excused.</summary>
    public Action<ExpiredFavour>? Expired { get; set; }

    /// <summary>Peers holding at least one open favour.</summary>
    public int AskerCount => _byAsker.Count;

    /// <summary>Open favours <paramref name="asker"/> holds.</summary>
    public int OpenFor(PublicKey asker) => _byAsker.GetValueOrDefault(asker);

    /// <summary>Whether an ask from <paramref name="asker"/> for <paramref name="payload"/> would be granted now; null if so.</summary>
    public (FavourRefusal Refusal, string Reason)? CheckGrant(PublicKey asker, PayloadId payload, DateTimeOffset now)
    {
        Expire(now);
        if (_byAskerAndPayload.TryGetValue((asker, payload), out var held))
            return (FavourRefusal.AlreadyOpen, $"already holds favour {held} for payload {payload}");
        var holds = OpenFor(asker);
        if (holds >= _limits.PerPeerCapacity)
            return (FavourRefusal.PeerAtCapacity, $"holds {holds} open favours, the most one peer may");
        if (_open.Count >= _limits.Capacity && (_unpaid?.Count ?? _open.Count) == 0)
            return (FavourRefusal.BookFull, $"all {_open.Count} open favours are paid for");
        return null;
    }

    /// <summary>Grants proof-of-work conditions for an ask from <paramref name="asker"/>.</summary>
    public FavourGrant<PowFavourConditions> GrantPow(AskForFavour ask, PublicKey asker, int difficultyBits, DateTimeOffset now)
    {
        if (CheckGrant(asker, ask.SignedRequest.Payload.PayloadId, now) is { } refused)
            return FavourGrant<PowFavourConditions>.Refused(refused.Refusal, refused.Reason);
        var conditions = new PowFavourConditions(ask.AskId, new FavourId(_entropy.NewId()), UnixTime.Truncate(now + _limits.Validity), PowSchemes.Sha256, difficultyBits);
        Add(new IssuedFavour(conditions, ask.SignedRequest.PayloadHash, _self), ask.SignedRequest.Payload.PayloadId, ask.SignedRequest.OriginatorSignature, asker);
        return new FavourGrant<PowFavourConditions>(conditions, null, null);
    }

    /// <summary>
    /// Grants proof-of-work conditions for an announcement (an ask without the payload): the favour is bound to the
    /// announced payload id and hash, and the request's signatures are verified only when the broadcast brings it.
    /// </summary>
    public FavourGrant<PowFavourConditions> GrantPow(TopicAnnouncement announcement, PublicKey asker, int difficultyBits, DateTimeOffset now)
    {
        if (CheckGrant(asker, announcement.PayloadId, now) is { } refused)
            return FavourGrant<PowFavourConditions>.Refused(refused.Refusal, refused.Reason);
        var conditions = new PowFavourConditions(announcement.AskId, new FavourId(_entropy.NewId()), UnixTime.Truncate(now + _limits.Validity), PowSchemes.Sha256, difficultyBits);
        Add(new IssuedFavour(conditions, announcement.PayloadHash, _self), announcement.PayloadId, null, asker);
        return new FavourGrant<PowFavourConditions>(conditions, null, null);
    }

    /// <summary>Whether <paramref name="favourId"/> is open and was granted for an announcement (its request not yet verified).</summary>
    public bool IsAnnounced(FavourId favourId) => _open.TryGetValue(favourId, out var entry) && entry.Signature is null;

    /// <summary>Grants Lightning conditions: pay <paramref name="invoice"/> (under <paramref name="paymentHash"/>).</summary>
    public FavourGrant<LightningFavourConditions> GrantLightning(AskForFavour ask, PublicKey asker, ulong priceMsat, string invoice, Hash32 paymentHash, DateTimeOffset invoiceExpiresAt, DateTimeOffset now)
    {
        if ((CheckGrant(asker, ask.SignedRequest.Payload.PayloadId, now) ?? CheckRedeemable(invoiceExpiresAt, now)) is { } refused)
            return FavourGrant<LightningFavourConditions>.Refused(refused.Refusal, refused.Reason);
        var conditions = new LightningFavourConditions(ask.AskId, new FavourId(_entropy.NewId()), PaidValidUntil(invoiceExpiresAt, now), priceMsat, invoice);
        Add(new IssuedFavour(conditions, ask.SignedRequest.PayloadHash, _self, paymentHash), ask.SignedRequest.Payload.PayloadId, ask.SignedRequest.OriginatorSignature, asker);
        return new FavourGrant<LightningFavourConditions>(conditions, null, null);
    }

    /// <summary>
    /// Grants Lightning conditions for an announcement: bound to the announced payload id and hash like
    /// <see cref="GrantPow(TopicAnnouncement, PublicKey, int, DateTimeOffset)"/>, paid like <see cref="GrantLightning(AskForFavour, PublicKey, ulong, string, Hash32, DateTimeOffset, DateTimeOffset)"/>.
    /// </summary>
    public FavourGrant<LightningFavourConditions> GrantLightning(TopicAnnouncement announcement, PublicKey asker, ulong priceMsat, string invoice, Hash32 paymentHash, DateTimeOffset invoiceExpiresAt, DateTimeOffset now)
    {
        if ((CheckGrant(asker, announcement.PayloadId, now) ?? CheckRedeemable(invoiceExpiresAt, now)) is { } refused)
            return FavourGrant<LightningFavourConditions>.Refused(refused.Refusal, refused.Reason);
        var conditions = new LightningFavourConditions(announcement.AskId, new FavourId(_entropy.NewId()), PaidValidUntil(invoiceExpiresAt, now), priceMsat, invoice);
        Add(new IssuedFavour(conditions, announcement.PayloadHash, _self, paymentHash), announcement.PayloadId, null, asker);
        return new FavourGrant<LightningFavourConditions>(conditions, null, null);
    }

    /// <summary>
    /// A paid favour ends no later than its invoice: the payer refuses an invoice that expires before the conditions do.
    /// The invoice was issued earlier than now and its expiry counts from a whole second (BOLT 11), so a favour valid
    /// for the whole validity from now outlived its invoice whenever a second boundary fell between the two.
    /// </summary>
    private DateTimeOffset PaidValidUntil(DateTimeOffset invoiceExpiresAt, DateTimeOffset now) =>
        UnixTime.Truncate(invoiceExpiresAt < now + _limits.Validity ? invoiceExpiresAt : now + _limits.Validity);

    // An invoice answered late (its issue took most of a validity) leaves no favour its payer could pay and still redeem:
    // a margin to pay it in (a later payment is refunded), and the margin MarkPaid asks for.
    private (FavourRefusal Refusal, string Reason)? CheckRedeemable(DateTimeOffset invoiceExpiresAt, DateTimeOffset now) =>
        PaidValidUntil(invoiceExpiresAt, now) - now < 2 * _limits.RedeemMargin
            ? (FavourRefusal.TooLate, $"its invoice expires at {invoiceExpiresAt:O}, less than twice the redeem margin ({_limits.RedeemMargin}) from now")
            : null;

    /// <summary>
    /// Checks a Broadcast against the favour it claims and, if it holds, uses the favour up.
    /// A favour granted to one peer cannot be redeemed by another. The broadcast must carry the very
    /// signed request of the ask (payload and signature bytes), so what the ask's validation verified is
    /// what gets relayed, and its signatures need not be verified twice.
    /// </summary>
    public Verdict Redeem(Broadcast broadcast, PublicKey sender, DateTimeOffset now)
    {
        if (!_open.TryGetValue(broadcast.FavourId, out var entry))
            return Verdict.Reject($"favour {broadcast.FavourId} is unknown, already used or expired");
        if (!entry.Asker.Equals(sender))
            return Verdict.Reject($"favour {broadcast.FavourId} was granted to another peer");
        if (entry.Signature is null)
        {
            if (broadcast.SignedRequest.Payload.PayloadId != entry.Payload)
                return Verdict.Reject($"favour {broadcast.FavourId} was announced for payload {entry.Payload}, not {broadcast.SignedRequest.Payload.PayloadId}");
        }
        else if (!broadcast.SignedRequest.OriginatorSignature.Equals(entry.Signature))
            return Verdict.Reject($"favour {broadcast.FavourId} was granted for a request with another signature");
        var verdict = FavourProofVerifier.Verify(entry.Favour, broadcast, now, paidGrace: entry.Paid ? _limits.RedeemMargin : TimeSpan.Zero);
        if (verdict.IsValid)
            Remove(broadcast.FavourId);
        return verdict;
    }

    /// <summary>
    /// The invoice of the open favour under <paramref name="paymentHash"/> was paid (accepted): it is not evicted from now
    /// on. False if no such favour is open (expired, evicted, redeemed or withdrawn), or if less than the redeem margin
    /// of it is left (its payer would pay for a broadcast that arrives after it ended): the payment must be refunded.
    /// </summary>
    public bool MarkPaid(Hash32 paymentHash, DateTimeOffset now)
    {
        Expire(now);
        if (_byPaymentHash is null || !_byPaymentHash.TryGetValue(paymentHash, out var id) || !_open.TryGetValue(id, out var entry)) return false;
        if (entry.Paid) return true;
        if (entry.Favour.Conditions.ValidUntil - now < _limits.RedeemMargin) return false;
        if (_unpaid is null) ListUnpaid();
        _unpaid!.Remove(_open[id].UnpaidNode!);
        // Redeemable for the margin past its end now, but left where it is in the age list: moved back past every favour
        // granted since, it could land at the end and wait there, unevictable, long after its grace. Where it is, it
        // holds the favours behind it back by at most the margin (each is checked against its own end meanwhile).
        _open[id] = _open[id] with { Paid = true, UnpaidNode = null };
        return true;
    }

    /// <summary>The open favour under <paramref name="paymentHash"/>: its asker and payload, whether granted for an announcement, its price.</summary>
    public (PublicKey Asker, PayloadId Payload, bool Announced, ulong PriceMsat)? FindByPayment(Hash32 paymentHash) =>
        _byPaymentHash is not null && _byPaymentHash.TryGetValue(paymentHash, out var id) && _open.TryGetValue(id, out var entry)
            ? (entry.Asker, entry.Payload, entry.Signature is null, entry.Favour.Conditions is LightningFavourConditions priced ? priced.PriceMsat : 0)
            : null;

    /// <summary>
    /// <paramref name="asker"/> need not redeem its priced favour for <paramref name="payload"/> (told the payload arrived
    /// elsewhere): forgotten if not paid for, without expiring unredeemed; a payment arriving later finds no favour and is
    /// refunded. A paid favour, or one for proof of work (its broadcast may be on its way), stays to be redeemed harmlessly.
    /// </summary>
    public void WithdrawUnpaid(PublicKey asker, PayloadId payload)
    {
        if (_byAskerAndPayload.TryGetValue((asker, payload), out var id) && _open.TryGetValue(id, out var entry)
            && !entry.Paid && entry.Favour.PaymentHash is not null) Remove(id);
    }

    /// <summary><paramref name="asker"/> declined its favour for <paramref name="payload"/>, or was told it need not deliver: it stays open (and counted) until it expires, but is not held against the asker then.</summary>
    public void Excuse(PublicKey asker, PayloadId payload)
    {
        if (_byAskerAndPayload.TryGetValue((asker, payload), out var id) && _open.TryGetValue(id, out var entry))
            _open[id] = entry with { Excused = true };
    }

    /// <summary>Open favours granted to <paramref name="asker"/> for announcements with a price, not yet redeemed.</summary>
    public int OpenPricedAnnouncementsFor(PublicKey asker) => _pricedAnnouncements?.GetValueOrDefault(asker) ?? 0;

    /// <summary>The favour <paramref name="favourId"/> if it is open: what was asked for it (to know what a broadcast earned).</summary>
    public IssuedFavour? Find(FavourId favourId) => _open.TryGetValue(favourId, out var entry) ? entry.Favour : null;

    /// <summary>Drops favours past their validity, oldest first, stopping at the first still valid; returns how many.</summary>
    public int Expire(DateTimeOffset now)
    {
        var dropped = 0;
        while (_byAge.First is { } oldest && _open[oldest.Value] is var entry && Until(entry) < now)
        {
            Remove(oldest.Value);
            Expired?.Invoke(new ExpiredFavour(entry.Asker, entry.Payload, entry.Signature is null, entry.Favour.PaymentHash is not null, entry.Paid, entry.Excused));
            dropped++;
        }
        return dropped;
    }

    /// <param name="signature">The ask's request signature the broadcast must carry; null for an announcement (bound by payload hash).</param>
    private void Add(IssuedFavour favour, PayloadId payload, Bytes? signature, PublicKey asker)
    {
        if (_open.Count >= _limits.Capacity) EvictOldest();
        _byAsker[asker] = _byAsker.GetValueOrDefault(asker) + 1;
        var id = favour.Conditions.FavourId;
        var validUntil = favour.Conditions.ValidUntil;
        _open[id] = new Open(favour, asker, payload, signature, Place(_byAge, new LinkedListNode<FavourId>(id), validUntil),
            _unpaid is null ? null : Place(_unpaid, new LinkedListNode<FavourId>(id), validUntil));
        _byAskerAndPayload[(asker, payload)] = id;
        if (favour.PaymentHash is { } paymentHash) (_byPaymentHash ??= [])[paymentHash] = id;
        if (signature is null && favour.PaymentHash is not null)
        {
            var priced = _pricedAnnouncements ??= [];
            priced[asker] = priced.GetValueOrDefault(asker) + 1;
        }
    }

    // Until when a favour is kept: its end, and for a paid one the redeem margin past it (its broadcast may be on its way).
    private DateTimeOffset Until(Open entry) => entry.Favour.Conditions.ValidUntil + (entry.Paid ? _limits.RedeemMargin : TimeSpan.Zero);

    // How far back from the end a favour is placed at most: past that it goes at the end, which only delays its expiry
    // (MarkPaid and Redeem check its own end). A clock stepping back, or invoices answered out of order, cannot make each
    // grant walk the whole book.
    private const int MaxPlacementSteps = 64;

    // After the last favour kept no longer: at the end, but for a priced favour whose invoice came before a younger favour's grant.
    private LinkedListNode<FavourId> Place(LinkedList<FavourId> list, LinkedListNode<FavourId> node, DateTimeOffset until)
    {
        var after = list.Last;
        for (var steps = 0; after is not null && steps < MaxPlacementSteps && Until(_open[after.Value]) > until; steps++) after = after.Previous;
        if (after is not null && Until(_open[after.Value]) > until) after = list.Last; // walked too far: at the end
        if (after is null) list.AddFirst(node);
        else list.AddAfter(after, node);
        return node;
    }

    // The oldest favour not paid for goes (CheckGrant refused the grant if there is none): an honest asker redeems within moments (its proof, then its broadcast), so what is old
    // is what was never going to be redeemed, whichever identity holds it (many fresh identities holding one each
    // cannot push out a busy honest peer's favours, as evicting from the largest holder would).
    private void EvictOldest()
    {
        if ((_unpaid ?? _byAge).First is { } oldest) Remove(oldest.Value);
    }

    // The first payment: the unpaid favours (all open ones) get their own list, in expiry order as _byAge holds them.
    private void ListUnpaid()
    {
        _unpaid = new LinkedList<FavourId>();
        for (var node = _byAge.First; node is not null; node = node.Next)
            _open[node.Value] = _open[node.Value] with { UnpaidNode = _unpaid.AddLast(node.Value) };
    }

    private void Remove(FavourId id)
    {
        if (!_open.Remove(id, out var entry)) return;
        _byAge.Remove(entry.AgeNode);
        if (entry.UnpaidNode is { } unpaid) _unpaid!.Remove(unpaid);
        if (entry.Favour.PaymentHash is { } paymentHash) _byPaymentHash?.Remove(paymentHash);
        if (entry is { Signature: null, Favour.PaymentHash: not null } && _pricedAnnouncements![entry.Asker] is var priced)
        {
            if (priced <= 1) _pricedAnnouncements.Remove(entry.Asker);
            else _pricedAnnouncements[entry.Asker] = priced - 1;
        }
        var held = _byAsker[entry.Asker];
        if (held <= 1) _byAsker.Remove(entry.Asker);
        else _byAsker[entry.Asker] = held - 1;
        _byAskerAndPayload.Remove((entry.Asker, entry.Payload));
    }

    private sealed record Open(IssuedFavour Favour, PublicKey Asker, PayloadId Payload, Bytes? Signature, LinkedListNode<FavourId> AgeNode,
        LinkedListNode<FavourId>? UnpaidNode, bool Paid = false, bool Excused = false);
}

/// <summary>A favour that expired unredeemed.</summary>
/// <param name="Announced">Granted for an announcement (its request never seen).</param>
/// <param name="Priced">Granted for an invoice (Lightning conditions).</param>
/// <param name="Paid">Its invoice was paid.</param>
/// <param name="Excused">Its asker declined it, or was told the payload arrived from another peer.</param>
public sealed record ExpiredFavour(PublicKey Asker, PayloadId Payload, bool Announced, bool Priced, bool Paid, bool Excused);
