using SweetGossip.Node.Routing;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Tests.Routing;

/// <summary>Who is granted a favour for an announced payload, and who next when it is never delivered (I/O-free).</summary>
public class AnnouncedPayloadsTests
{
    private static readonly DateTimeOffset Now = UnixTime.Truncate(DateTimeOffset.UtcNow);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private readonly PublicKey _a = PrivateKey.Generate().PublicKey;
    private readonly PublicKey _b = PrivateKey.Generate().PublicKey;
    private readonly PublicKey _c = PrivateKey.Generate().PublicKey;

    private static TopicAnnouncement Announce(PayloadId id) => new(AskId.New(), id, Hash32.Random(), 5);

    [Fact]
    public void Only_the_first_announcer_is_granted_and_the_others_wait_in_line()
    {
        var book = new AnnouncedPayloads(100, 8, Timeout);
        var id = PayloadId.New();
        Assert.Equal(AnnouncementDecision.Grant, book.OnAnnouncement(_a, Announce(id), Now));
        book.Granted(_a, id, Now);
        Assert.Equal(AnnouncementDecision.Wait, book.OnAnnouncement(_b, Announce(id), Now));
        Assert.Equal(AnnouncementDecision.Duplicate, book.OnAnnouncement(_a, Announce(id), Now));
        Assert.Equal(AnnouncementDecision.Duplicate, book.OnAnnouncement(_b, Announce(id), Now));
    }

    [Fact]
    public void A_silent_announcer_loses_its_turn_to_the_next_at_the_deadline()
    {
        var book = new AnnouncedPayloads(100, 8, Timeout);
        var id = PayloadId.New();
        book.OnAnnouncement(_a, Announce(id), Now);
        book.Granted(_a, id, Now);
        var fromB = Announce(id);
        book.OnAnnouncement(_b, fromB, Now);

        Assert.Empty(book.Due(Now + Timeout - TimeSpan.FromSeconds(1)));
        Assert.Equal(Now + Timeout, book.NextDeadline);
        var next = Assert.Single(book.Due(Now + Timeout));
        Assert.Equal((_b, fromB), next);
        book.Granted(_b, id, Now + Timeout);

        // The payload arrives from b: a, which holds a favour still, is told this node already has it, past its deadline.
        Assert.Equal([(_a, false)], book.Received(id, _b, Now + Timeout));
        Assert.Equal(0, book.Count);
    }

    [Fact]
    public void With_no_announcer_left_the_payload_is_forgotten_and_the_next_announcement_granted_at_once()
    {
        var book = new AnnouncedPayloads(100, 8, Timeout);
        var id = PayloadId.New();
        book.OnAnnouncement(_a, Announce(id), Now);
        book.Granted(_a, id, Now);
        Assert.Empty(book.Due(Now + Timeout));
        Assert.Equal(0, book.Count);
        Assert.Equal(AnnouncementDecision.Grant, book.OnAnnouncement(_c, Announce(id), Now + Timeout));
    }

    [Fact]
    public void Within_the_gather_window_the_announcer_on_the_shortest_path_is_granted_first()
    {
        var book = new AnnouncedPayloads(100, 8, Timeout, gatherWindow: TimeSpan.FromMilliseconds(50));
        var id = PayloadId.New();
        var far = new TopicAnnouncement(AskId.New(), id, Hash32.Random(), 3);
        var near = new TopicAnnouncement(AskId.New(), id, Hash32.Random(), 6);
        var alsoNear = new TopicAnnouncement(AskId.New(), id, Hash32.Random(), 6);
        Assert.Equal(AnnouncementDecision.Wait, book.OnAnnouncement(_a, far, Now));
        Assert.Equal(AnnouncementDecision.Wait, book.OnAnnouncement(_b, near, Now.AddMilliseconds(10)));
        Assert.Equal(AnnouncementDecision.Wait, book.OnAnnouncement(_c, alsoNear, Now.AddMilliseconds(20)));

        Assert.Empty(book.Due(Now.AddMilliseconds(49)));
        Assert.Equal((_b, near), Assert.Single(book.Due(Now.AddMilliseconds(50))));
        book.Granted(_b, id, Now.AddMilliseconds(50));
        // b never delivers: c next (as near, and earlier than nobody else), then the far one.
        Assert.Equal((_c, alsoNear), Assert.Single(book.Due(Now.AddMilliseconds(50) + Timeout)));
    }

    [Fact]
    public void Announcer_that_claims_the_shortest_path_and_never_delivers_wins_the_gather_once_not_every_time()
    {
        var book = new AnnouncedPayloads(100, 8, Timeout, gatherWindow: TimeSpan.FromMilliseconds(50));
        var liar = _a;
        var at = Now;
        for (var round = 0; round < 3; round++)
        {
            var id = PayloadId.New();
            book.OnAnnouncement(liar, new TopicAnnouncement(AskId.New(), id, Hash32.Random(), 32), at);
            book.OnAnnouncement(_b, new TopicAnnouncement(AskId.New(), id, Hash32.Random(), 4), at);
            var (chosen, _) = Assert.Single(book.Due(at.AddMilliseconds(50)));
            Assert.Equal(round == 0 ? liar : _b, chosen);
            book.Granted(chosen, id, at.AddMilliseconds(50));
            if (round == 0)
            {
                // The liar stays silent: b is granted at the deadline and delivers.
                Assert.Equal(_b, Assert.Single(book.Due(at.AddMilliseconds(50) + Timeout)).Peer);
                book.Granted(_b, id, at.AddMilliseconds(50) + Timeout);
            }
            book.Received(id, _b, at + TimeSpan.FromMinutes(1));
            at += TimeSpan.FromMinutes(1);
        }
    }

    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(50);

    /// <summary><paramref name="peer"/> announces a new payload claiming 32 hops, is granted its favour and lets it run out; returns the next time to use.</summary>
    private static DateTimeOffset MissedFavour(AnnouncedPayloads book, PublicKey peer, DateTimeOffset at)
    {
        var id = PayloadId.New();
        book.OnAnnouncement(peer, new TopicAnnouncement(AskId.New(), id, Hash32.Random(), 32), at);
        Assert.Equal(peer, Assert.Single(book.Due(at + Gather)).Peer);
        book.Granted(peer, id, at + Gather);
        Assert.Empty(book.Due(at + Gather + Timeout));
        return at + TimeSpan.FromMinutes(1);
    }

    /// <summary>Who is granted a new payload's favour when the two announce it at <paramref name="at"/> with these hops.</summary>
    private static PublicKey GatherWinner(AnnouncedPayloads book, (PublicKey Peer, int Hops) first, (PublicKey Peer, int Hops) second, DateTimeOffset at)
    {
        var payload = PayloadId.New();
        book.OnAnnouncement(first.Peer, new TopicAnnouncement(AskId.New(), payload, Hash32.Random(), first.Hops), at);
        book.OnAnnouncement(second.Peer, new TopicAnnouncement(AskId.New(), payload, Hash32.Random(), second.Hops), at);
        return Assert.Single(book.Due(at + Gather)).Peer;
    }

    /// <summary>
    /// The table of misses is bounded by the capacity; when full, the announcer with the fewest misses goes. Before, it was
    /// cleared: Sybils that each let one favour run out wiped the record of the worst liar, who then won the gather again.
    /// </summary>
    [Fact]
    public void A_full_table_of_misses_forgets_the_announcer_with_fewest_not_the_worst_liar()
    {
        var book = new AnnouncedPayloads(capacity: 3, 8, Timeout, gatherWindow: Gather);
        var at = Now;
        void Miss(PublicKey peer) => at = MissedFavour(book, peer, at);
        var liar = _a;
        Miss(liar);
        Miss(liar);
        foreach (var sybil in Enumerable.Range(0, 5).Select(_ => PrivateKey.Generate().PublicKey)) Miss(sybil);

        // The liar claims the shortest path again; the honest announcer, with no miss, is still granted first.
        Assert.Equal(_b, GatherWinner(book, (liar, 32), (_b, 4), at));
    }

    /// <summary>
    /// Among announcers with as few misses, the one that missed longest ago goes: a liar with one miss is not wiped by the
    /// next newcomer's miss (the table's own order would put that newcomer where the evicted one was, first in line).
    /// </summary>
    [Fact]
    public void A_full_table_of_misses_forgets_the_oldest_of_the_fewest_so_liars_taking_turns_keep_their_record()
    {
        var book = new AnnouncedPayloads(capacity: 3, 8, Timeout, gatherWindow: Gather);
        var at = Now;
        void Miss(PublicKey peer) => at = MissedFavour(book, peer, at);
        foreach (var early in Enumerable.Range(0, 3).Select(_ => PrivateKey.Generate().PublicKey)) Miss(early);
        var (liar, otherLiar) = (_a, _c);
        Miss(liar);
        Miss(otherLiar);

        Assert.Equal(_b, GatherWinner(book, (liar, 32), (_b, 4), at));
    }

    [Fact]
    public void Announcements_for_many_payloads_cannot_grow_it_past_its_capacity_nor_the_line_past_max_announcers()
    {
        var book = new AnnouncedPayloads(capacity: 10, maxAnnouncers: 2, Timeout);
        for (var i = 0; i < 1000; i++)
        {
            var id = PayloadId.New();
            book.OnAnnouncement(_a, Announce(id), Now);
            book.Granted(_a, id, Now);
        }
        Assert.Equal(10, book.Count);

        var one = PayloadId.New();
        book.OnAnnouncement(_a, Announce(one), Now);
        book.Granted(_a, one, Now);
        Assert.Equal(AnnouncementDecision.Wait, book.OnAnnouncement(_b, Announce(one), Now));
        Assert.Equal(AnnouncementDecision.Wait, book.OnAnnouncement(_c, Announce(one), Now));
        Assert.Equal(AnnouncementDecision.Ignore, book.OnAnnouncement(PrivateKey.Generate().PublicKey, Announce(one), Now));
    }

    [Fact]
    public void A_neighbour_that_delivered_before_is_granted_before_new_announcers_on_as_short_a_path_but_not_before_a_nearer_one()
    {
        // A flash attack: fresh Sybil links announce first, as near the origin as the proven neighbour, and never deliver.
        var book = new AnnouncedPayloads(100, 8, Timeout, gatherWindow: TimeSpan.FromMilliseconds(50));
        var earlier = PayloadId.New();
        book.OnAnnouncement(_b, Announce(earlier), Now);
        book.Granted(_b, earlier, Now);
        book.Received(earlier, _b, Now.AddSeconds(1));

        var id = PayloadId.New();
        var at = Now.AddMinutes(1);
        var sybils = Enumerable.Range(0, 5).Select(_ => PrivateKey.Generate().PublicKey).ToList();
        foreach (var sybil in sybils) book.OnAnnouncement(sybil, new TopicAnnouncement(AskId.New(), id, Hash32.Random(), 5), at);
        var fromB = new TopicAnnouncement(AskId.New(), id, Hash32.Random(), 5);
        book.OnAnnouncement(_b, fromB, at.AddMilliseconds(40));
        Assert.Equal((_b, fromB), Assert.Single(book.Due(at.AddMilliseconds(50))));

        // Delivered before is worth one hop: an announcer two hops nearer the origin is still granted first.
        var next = PayloadId.New();
        at = at.AddMinutes(1);
        var nearer = new TopicAnnouncement(AskId.New(), next, Hash32.Random(), 7);
        book.OnAnnouncement(_b, new TopicAnnouncement(AskId.New(), next, Hash32.Random(), 5), at);
        book.OnAnnouncement(_c, nearer, at.AddMilliseconds(10));
        Assert.Equal((_c, nearer), Assert.Single(book.Due(at.AddMilliseconds(50))));
    }

    [Fact]
    public void A_proven_announcer_takes_the_place_of_the_last_ranked_in_a_full_line_and_a_new_one_does_not()
    {
        // An eclipse: the line is full of Sybils before any proven neighbour announces.
        var book = new AnnouncedPayloads(100, maxAnnouncers: 3, Timeout);
        var earlier = PayloadId.New();
        book.OnAnnouncement(_b, Announce(earlier), Now);
        book.Granted(_b, earlier, Now);
        book.Received(earlier, _b, Now.AddSeconds(1));

        var id = PayloadId.New();
        book.OnAnnouncement(_a, Announce(id), Now);
        book.Granted(_a, id, Now);
        var sybils = Enumerable.Range(0, 3).Select(_ => PrivateKey.Generate().PublicKey).ToList();
        foreach (var sybil in sybils) Assert.Equal(AnnouncementDecision.Wait, book.OnAnnouncement(sybil, Announce(id), Now));
        // A newcomer never proven pushes nobody out, whatever hops it claims (they are its word).
        Assert.Equal(AnnouncementDecision.Ignore, book.OnAnnouncement(PrivateKey.Generate().PublicKey, new TopicAnnouncement(AskId.New(), id, Hash32.Random(), 32), Now));
        var fromB = Announce(id);
        Assert.Equal(AnnouncementDecision.Wait, book.OnAnnouncement(_b, fromB, Now));

        // a never delivers: b is next, ahead of the Sybils that announced first.
        Assert.Equal((_b, fromB), Assert.Single(book.Due(Now + Timeout)));
    }

    [Fact]
    public void A_proven_announcer_that_lets_a_favour_run_out_or_declines_it_late_loses_its_standing()
    {
        var book = new AnnouncedPayloads(100, 8, Timeout, gatherWindow: TimeSpan.FromMilliseconds(50));
        var at = Now;
        PayloadId Delivered(PublicKey by)
        {
            var id = PayloadId.New();
            book.OnAnnouncement(by, Announce(id), at);
            book.Granted(by, id, at);
            book.Received(id, by, at);
            at = at.AddMinutes(1);
            return id;
        }
        Delivered(_a);
        Delivered(_b);

        // a declines just before its deadline: a miss in the ranking, so b (as near) goes first next time.
        var held = PayloadId.New();
        book.OnAnnouncement(_a, Announce(held), at);
        book.Granted(_a, held, at);
        book.Declined(_a, held, at + Timeout - TimeSpan.FromMilliseconds(10));
        at = at.AddMinutes(1);
        var next = PayloadId.New();
        book.OnAnnouncement(_a, Announce(next), at);
        book.OnAnnouncement(_b, Announce(next), at.AddMilliseconds(10));
        Assert.Equal(_b, Assert.Single(book.Due(at.AddMilliseconds(50))).Peer);
    }

    [Fact]
    public void Deadlines_of_announcements_stay_bounded_where_nothing_asks_for_the_due_ones()
    {
        // A fanout node never calls Due; announcements with new payload ids must not grow its deadline queue without end.
        var book = new AnnouncedPayloads(capacity: 10, maxAnnouncers: 2, Timeout, gatherWindow: TimeSpan.FromMilliseconds(50));
        for (var i = 0; i < 10_000; i++) book.OnAnnouncement(_a, Announce(PayloadId.New()), Now);
        Assert.Equal(10, book.Count);
        Assert.True(book.PendingDeadlines <= 20, $"{book.PendingDeadlines} deadlines queued");
    }
}
