using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Validation;
using SweetGossip.Protocol.Tests.Support;

namespace SweetGossip.Protocol.Tests.Gossip;

public class FavourBookTests
{
    private readonly TestWorld _world = new();
    private static readonly DateTimeOffset Now = TestWorld.Now;
    private readonly PublicKey _asker = PrivateKey.Generate().PublicKey;

    private static Broadcast Solve(PowFavourConditions conditions, SignedRequestPayload request, PublicKey issuer)
    {
        var challenge = FavourChallenge.For(conditions, request.PayloadHash, issuer);
        var nonce = PowSolver.Solve(challenge.ComputeChallengeHash(), conditions.DifficultyBits, 0, ulong.MaxValue, CancellationToken.None).Nonce;
        return new Broadcast(conditions.FavourId, request, new PowProof(nonce), 3, 0);
    }

    [Fact]
    public void A_favour_is_redeemed_once_by_the_peer_it_was_granted_to()
    {
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, TimeSpan.FromMinutes(5), 100);
        var ask = new AskForFavour(AskId.New(), _world.Request());
        var conditions = book.GrantPow(ask, _asker, 8, Now).Conditions!;
        var broadcast = Solve(conditions, ask.SignedRequest, _world.MiddlemanKey.PublicKey);

        Assert.Contains("another peer", book.Redeem(broadcast, PrivateKey.Generate().PublicKey, Now).Reason);
        Assert.True(book.Redeem(broadcast, _asker, Now).IsValid);
        Assert.Contains("already used", book.Redeem(broadcast, _asker, Now).Reason); // replay
        Assert.Equal(0, book.OpenCount);
    }

    [Fact]
    public void A_paid_favour_for_an_announcement_is_redeemed_only_by_the_announced_payload_with_the_preimage()
    {
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, TimeSpan.FromMinutes(5), 100);
        var (request, other) = (_world.Request(), _world.Request());
        var preimage = Hash32.Random();
        var announcement = new TopicAnnouncement(AskId.New(), request.Payload.PayloadId, request.PayloadHash, 5);
        var conditions = book.GrantLightning(announcement, _asker, 7_000, "lnbcrt-favour", preimage.Sha256(), Now.AddHours(1), Now).Conditions!;
        Assert.Equal((announcement.AskId, 7_000UL), (conditions.AskId, conditions.PriceMsat));
        Assert.Equal(FavourRefusal.AlreadyOpen, book.GrantLightning(announcement, _asker, 7_000, "lnbcrt-again", Hash32.Random().Sha256(), Now.AddHours(1), Now).Refusal);

        Assert.Contains("was announced for payload", book.Redeem(new Broadcast(conditions.FavourId, other, new PaymentProof(preimage), 3, 0), _asker, Now).Reason);
        Assert.False(book.Redeem(new Broadcast(conditions.FavourId, request, new PaymentProof(Hash32.Random()), 3, 0), _asker, Now).IsValid);
        Assert.True(book.Redeem(new Broadcast(conditions.FavourId, request, new PaymentProof(preimage), 3, 0), _asker, Now).IsValid);
        Assert.Equal(0, book.OpenCount);
    }

    [Fact]
    public void FavourBook_full_never_evicts_a_paid_favour()
    {
        // The attack: fill the book with cheap favours so every new grant evicts the oldest, an honest payer's included.
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, TimeSpan.FromMinutes(2), 2);
        var (honest, request, preimage) = (PrivateKey.Generate().PublicKey, _world.Request(), Hash32.Random());
        var paid = book.GrantLightning(new AskForFavour(AskId.New(), request), honest, 7_000, "lnbcrt-paid", preimage.Sha256(), Now.AddHours(1), Now).Conditions!;
        Assert.True(book.MarkPaid(preimage.Sha256(), Now));

        var announcements = Enumerable.Range(0, 50).Select(_ => _world.Request())
            .Select(r => new TopicAnnouncement(AskId.New(), r.Payload.PayloadId, r.PayloadHash, 5)).ToList();
        var refused = 0;
        foreach (var fake in announcements)
        {
            var grant = book.GrantLightning(fake, PrivateKey.Generate().PublicKey, 7_000, "lnbcrt-fake", Hash32.Random().Sha256(), Now.AddHours(1), Now);
            if (!grant.Granted) refused++;
        }
        Assert.Equal(0, refused); // unpaid favours still make room for each other
        Assert.True(book.Redeem(new Broadcast(paid.FavourId, request, new PaymentProof(preimage), 3, 0), honest, Now).IsValid);

        // A book of paid favours only refuses the next grant rather than take one.
        var (a, b) = (Hash32.Random(), Hash32.Random());
        book.GrantLightning(announcements[0], honest, 7_000, "lnbcrt-a", a.Sha256(), Now.AddHours(1), Now);
        book.GrantLightning(announcements[1], honest, 7_000, "lnbcrt-b", b.Sha256(), Now.AddHours(1), Now);
        Assert.True(book.MarkPaid(a.Sha256(), Now) && book.MarkPaid(b.Sha256(), Now));
        Assert.Equal(FavourRefusal.BookFull, book.GrantPow(new AskForFavour(AskId.New(), _world.Request()), _asker, 8, Now).Refusal);
        Assert.Equal(2, book.OpenCount);
    }

    [Fact]
    public void Expired_favours_are_forgotten()
    {
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, TimeSpan.FromMinutes(5), 2);
        Assert.True(book.GrantPow(new AskForFavour(AskId.New(), _world.Request()), _asker, 8, Now).Granted);
        Assert.True(book.GrantPow(new AskForFavour(AskId.New(), _world.Request()), PrivateKey.Generate().PublicKey, 8, Now).Granted);
        Assert.True(book.GrantPow(new AskForFavour(AskId.New(), _world.Request()), _asker, 8, Now.AddMinutes(6)).Granted);
        Assert.Equal(1, book.OpenCount);
    }

    [Fact]
    public void Favour_book_exhaustion_by_repeated_asks_for_one_unseen_payload_holds_one_favour()
    {
        // The attack: one valid signed request, asked for again and again before its broadcast; each ask used to get a fresh favour.
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, TimeSpan.FromMinutes(2), 10_000);
        var request = _world.Request();
        Assert.True(book.GrantPow(new AskForFavour(AskId.New(), request), _asker, 8, Now).Granted);
        for (var i = 0; i < 1_000; i++)
            Assert.Equal(FavourRefusal.AlreadyOpen, book.GrantPow(new AskForFavour(AskId.New(), request), _asker, 8, Now.AddMilliseconds(i)).Refusal);
        Assert.Equal(1, book.OpenCount);
        // Another peer asking for the same payload is gossip by another path: it gets its own favour.
        Assert.True(book.GrantPow(new AskForFavour(AskId.New(), request), PrivateKey.Generate().PublicKey, 8, Now).Granted);
    }

    [Fact]
    public void Favour_book_exhaustion_by_one_peer_with_many_payloads_stops_at_its_per_peer_cap_and_the_book_still_serves_others()
    {
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, new FavourBookLimits(TimeSpan.FromMinutes(2), Capacity: 100, PerPeerCapacity: 10));
        var refused = 0;
        for (var i = 0; i < 50; i++)
            if (book.GrantPow(new AskForFavour(AskId.New(), _world.Request()), _asker, 8, Now).Refusal == FavourRefusal.PeerAtCapacity) refused++;
        Assert.Equal((10, 40), (book.OpenFor(_asker), refused));
        Assert.True(book.GrantPow(new AskForFavour(AskId.New(), _world.Request()), PrivateKey.Generate().PublicKey, 8, Now).Granted);
    }

    [Fact]
    public void Favour_book_exhaustion_by_many_fresh_identities_never_refuses_an_honest_asker_and_evicts_only_the_oldest()
    {
        // Sybils: each fresh identity asks once and never redeems; an honest relay asks and redeems at once, again and again.
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, new FavourBookLimits(TimeSpan.FromMinutes(2), Capacity: 100, PerPeerCapacity: 10));
        var honest = PrivateKey.Generate().PublicKey;
        var served = 0;
        for (var i = 0; i < 1_000; i++)
        {
            var at = Now.AddMilliseconds(i);
            Assert.True(book.GrantPow(new AskForFavour(AskId.New(), _world.Request()), PrivateKey.Generate().PublicKey, 8, at).Granted);
            if (i % 10 != 0) continue;
            var ask = new AskForFavour(AskId.New(), _world.Request());
            var grant = book.GrantPow(ask, honest, 8, at);
            Assert.True(grant.Granted);
            // Ten sybil asks later (a tenth of the book's turnover), the honest favour is still there to redeem.
            if (book.Find(grant.Conditions!.FavourId) is not null) served++;
        }
        Assert.Equal(100, served);
        Assert.Equal(100, book.OpenCount);
        Assert.True(book.OpenFor(honest) > 0);
    }

    [Fact]
    public void The_first_payment_among_older_unpaid_favours_keeps_eviction_in_grant_order_and_spares_the_paid_one()
    {
        // Until a favour is paid the book keeps no separate list of unpaid ones: the first payment makes it from the others.
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, new FavourBookLimits(TimeSpan.FromMinutes(2), Capacity: 3, PerPeerCapacity: 3));
        var preimages = Enumerable.Range(0, 3).Select(_ => Hash32.Random()).ToArray();
        var (asker, other) = (PrivateKey.Generate().PublicKey, PrivateKey.Generate().PublicKey);
        var granted = preimages.Select((p, i) => book.GrantLightning(new AskForFavour(AskId.New(), _world.Request()), i == 1 ? other : asker, 7_000, $"lnbcrt-{i}", p.Sha256(), Now.AddSeconds(i).AddHours(1), Now.AddSeconds(i)).Conditions!).ToArray();
        Assert.True(book.MarkPaid(preimages[1].Sha256(), Now.AddSeconds(3))); // the middle one
        Assert.True(book.MarkPaid(preimages[1].Sha256(), Now.AddSeconds(3))); // again: still paid, nothing moves

        // Full: each new grant evicts the oldest unpaid favour, never the paid one.
        Assert.True(book.GrantPow(new AskForFavour(AskId.New(), _world.Request()), _asker, 8, Now.AddSeconds(4)).Granted);
        Assert.Null(book.Find(granted[0].FavourId));
        Assert.True(book.GrantPow(new AskForFavour(AskId.New(), _world.Request()), _asker, 8, Now.AddSeconds(5)).Granted);
        Assert.Null(book.Find(granted[2].FavourId));
        Assert.NotNull(book.Find(granted[1].FavourId));
        Assert.Equal(0, book.OpenFor(asker));
        Assert.Equal(1, book.OpenFor(other));
        Assert.Equal(2, book.OpenFor(_asker));
        // The next eviction takes the oldest of the favours granted after the payment.
        Assert.True(book.GrantPow(new AskForFavour(AskId.New(), _world.Request()), PrivateKey.Generate().PublicKey, 8, Now.AddSeconds(6)).Granted);
        Assert.Equal(1, book.OpenFor(_asker));
        Assert.NotNull(book.Find(granted[1].FavourId));
    }

    private FavourGrant<LightningFavourConditions> Priced(FavourBook book, Hash32 preimage, DateTimeOffset invoiceExpiresAt, DateTimeOffset now) =>
        book.GrantLightning(new AskForFavour(AskId.New(), _world.Request()), _asker, 7_000, "lnbcrt-favour", preimage.Sha256(), invoiceExpiresAt, now);

    [Fact]
    public void A_priced_favour_ends_with_its_invoice_or_after_the_validity_whichever_is_first()
    {
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, TimeSpan.FromMinutes(2), 100);
        var grantedAt = Now.AddMilliseconds(100);
        // Issued in the second before: the invoice ends first, so the favour ends with it.
        Assert.Equal(Now.AddMinutes(2).AddSeconds(-1), Priced(book, Hash32.Random(), Now.AddMinutes(2).AddSeconds(-1), grantedAt).Conditions!.ValidUntil);
        // An invoice longer than the validity: the validity, in whole seconds.
        Assert.Equal(Now.AddMinutes(2), Priced(book, Hash32.Random(), Now.AddHours(1), grantedAt).Conditions!.ValidUntil);
    }

    [Fact]
    public void A_priced_favour_granted_after_a_younger_favour_still_expires_first()
    {
        // Its invoice was issued before the other favour was granted: it ends first, and must not wait behind it.
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, TimeSpan.FromMinutes(2), 100);
        var younger = book.GrantPow(new AskForFavour(AskId.New(), _world.Request()), PrivateKey.Generate().PublicKey, 8, Now).Conditions!;
        var preimage = Hash32.Random();
        var priced = Priced(book, preimage, Now.AddMinutes(1), Now.AddSeconds(1)).Conditions!;

        Assert.Equal(1, book.Expire(Now.AddMinutes(1).AddSeconds(1)));
        Assert.Null(book.Find(priced.FavourId));
        Assert.NotNull(book.Find(younger.FavourId));
        Assert.False(book.MarkPaid(preimage.Sha256(), Now.AddMinutes(1).AddSeconds(1)));
    }

    [Fact]
    public void A_payment_too_late_to_redeem_its_favour_is_not_kept_and_an_invoice_too_short_is_not_granted()
    {
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, new FavourBookLimits(TimeSpan.FromMinutes(2), 100, 100) { RedeemMargin = TimeSpan.FromSeconds(10) });
        var (early, late) = (Hash32.Random(), Hash32.Random());
        var validUntil = Priced(book, early, Now.AddMinutes(2), Now).Conditions!.ValidUntil;
        Priced(book, late, Now.AddMinutes(2), Now);

        Assert.True(book.MarkPaid(early.Sha256(), validUntil.AddSeconds(-10)));
        // Paid with less than the margin left: the broadcast would come after the favour ended, so the payer is refunded.
        Assert.False(book.MarkPaid(late.Sha256(), validUntil.AddSeconds(-9)));

        // Time to pay it and then the margin to redeem it: an invoice with less than twice the margin left is not granted.
        Assert.Equal(FavourRefusal.TooLate, Priced(book, Hash32.Random(), Now.AddSeconds(19), Now).Refusal);
        Assert.True(Priced(book, Hash32.Random(), Now.AddSeconds(20), Now).Granted);
    }

    [Fact]
    public void A_paid_favour_is_still_redeemed_for_the_redeem_margin_past_its_end_an_unpaid_one_is_not()
    {
        // The payer's money is taken when its invoice settles, before its broadcast can arrive.
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, new FavourBookLimits(TimeSpan.FromMinutes(2), 100, 100) { RedeemMargin = TimeSpan.FromSeconds(10) });
        var (request, unpaidRequest) = (_world.Request(), _world.Request());
        var (paid, unpaid) = (Hash32.Random(), Hash32.Random());
        var paidFavour = book.GrantLightning(new AskForFavour(AskId.New(), request), _asker, 7_000, "lnbcrt-paid", paid.Sha256(), Now.AddHours(1), Now).Conditions!;
        var unpaidFavour = book.GrantLightning(new AskForFavour(AskId.New(), unpaidRequest), _asker, 7_000, "lnbcrt-unpaid", unpaid.Sha256(), Now.AddHours(1), Now).Conditions!;
        Assert.True(book.MarkPaid(paid.Sha256(), paidFavour.ValidUntil.AddSeconds(-10)));

        var late = paidFavour.ValidUntil.AddSeconds(5);
        Assert.Contains("expired", book.Redeem(new Broadcast(unpaidFavour.FavourId, unpaidRequest, new PaymentProof(unpaid), 3, 0), _asker, late).Reason);
        Assert.True(book.Redeem(new Broadcast(paidFavour.FavourId, request, new PaymentProof(paid), 3, 0), _asker, late).IsValid);
        Assert.Equal(1, book.Expire(late)); // the unpaid one, held back behind the paid one no longer than the margin
    }

    [Fact]
    public void A_paid_favour_past_its_margin_is_gone()
    {
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, new FavourBookLimits(TimeSpan.FromMinutes(2), 100, 100) { RedeemMargin = TimeSpan.FromSeconds(10) });
        var request = _world.Request();
        var paid = Hash32.Random();
        var favour = book.GrantLightning(new AskForFavour(AskId.New(), request), _asker, 7_000, "lnbcrt-paid", paid.Sha256(), Now.AddHours(1), Now).Conditions!;
        Assert.True(book.MarkPaid(paid.Sha256(), Now));
        Assert.Contains("expired", book.Redeem(new Broadcast(favour.FavourId, request, new PaymentProof(paid), 3, 0), _asker, favour.ValidUntil.AddSeconds(11)).Reason);
    }

    [Fact]
    public void A_favour_that_would_need_a_long_walk_to_its_place_goes_at_the_end_and_still_ends_on_time()
    {
        // 70 favours end after it: placing it would walk past all of them (a clock stepping back, invoices answered out of
        // order). It goes at the end, so its expiry is only delayed; its own end still counts for payment and redeem.
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, new FavourBookLimits(TimeSpan.FromMinutes(2), 1_000, 1_000) { RedeemMargin = TimeSpan.FromSeconds(10) });
        for (var i = 0; i < 70; i++) book.GrantPow(new AskForFavour(AskId.New(), _world.Request()), PrivateKey.Generate().PublicKey, 8, Now);
        var request = _world.Request();
        var preimage = Hash32.Random();
        var priced = book.GrantLightning(new AskForFavour(AskId.New(), request), _asker, 7_000, "lnbcrt-early", preimage.Sha256(), Now.AddMinutes(1), Now).Conditions!;

        var after = priced.ValidUntil.AddSeconds(1);
        Assert.Equal(0, book.Expire(after)); // behind the 70
        Assert.False(book.MarkPaid(preimage.Sha256(), after));
        Assert.False(book.Redeem(new Broadcast(priced.FavourId, request, new PaymentProof(preimage), 3, 0), _asker, after).IsValid);
        Assert.Equal(71, book.Expire(Now.AddMinutes(2).AddSeconds(1)));
    }

    [Fact]
    public void A_full_book_evicts_its_oldest_favour()
    {
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, new FavourBookLimits(TimeSpan.FromMinutes(2), Capacity: 3, PerPeerCapacity: 3));
        var first = book.GrantPow(new AskForFavour(AskId.New(), _world.Request()), _asker, 8, Now).Conditions!;
        book.GrantPow(new AskForFavour(AskId.New(), _world.Request()), _asker, 8, Now.AddSeconds(1));
        book.GrantPow(new AskForFavour(AskId.New(), _world.Request()), PrivateKey.Generate().PublicKey, 8, Now.AddSeconds(2));
        Assert.True(book.GrantPow(new AskForFavour(AskId.New(), _world.Request()), PrivateKey.Generate().PublicKey, 8, Now.AddSeconds(3)).Granted);
        Assert.Equal(3, book.OpenCount);
        Assert.Null(book.Find(first.FavourId));
        Assert.Equal(1, book.OpenFor(_asker));
    }

    [Fact]
    public void Expiry_drops_only_favours_past_their_validity_in_grant_order()
    {
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, TimeSpan.FromMinutes(2), 100);
        for (var i = 0; i < 10; i++) book.GrantPow(new AskForFavour(AskId.New(), _world.Request()), _asker, 8, Now.AddSeconds(i * 10));
        Assert.Equal(4, book.Expire(Now.AddMinutes(2).AddSeconds(35))); // granted at 0, 10, 20, 30 s
        Assert.Equal(6, book.OpenCount);
        Assert.Equal(6, book.OpenFor(_asker));
    }

    [Fact]
    public void A_broadcast_must_carry_the_very_signed_request_of_the_ask()
    {
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, TimeSpan.FromMinutes(5), 100);
        var payload = _world.Payload();
        var asked = SignedRequestPayload.Sign(payload, _world.OriginatorKey);
        var resigned = SignedRequestPayload.Sign(payload, _world.OriginatorKey);
        Assert.Equal(asked.PayloadBytes, resigned.PayloadBytes);
        Assert.NotEqual(asked.OriginatorSignature, resigned.OriginatorSignature);

        var conditions = book.GrantPow(new AskForFavour(AskId.New(), asked), _asker, 8, Now).Conditions!;
        var broadcast = Solve(conditions, asked, _world.MiddlemanKey.PublicKey);
        Assert.Contains("another signature", book.Redeem(broadcast with { SignedRequest = resigned }, _asker, Now).Reason);
        Assert.True(book.Redeem(broadcast, _asker, Now).IsValid);
    }
}
