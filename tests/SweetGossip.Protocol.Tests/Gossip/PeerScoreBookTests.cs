using System.Net;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Gossip;

namespace SweetGossip.Protocol.Tests.Gossip;

/// <summary>The node-wide score book: what a peer did outlives its link, its key and (in part) its address.</summary>
public class PeerScoreBookTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly AddressPrefix Attackers = AddressPrefix.Of(IPAddress.Parse("203.0.113.7"));
    private static readonly AddressPrefix Elsewhere = AddressPrefix.Of(IPAddress.Parse("198.51.100.1"));

    private readonly PeerScoreBook _book = new(PeerScoreParameters.Default);

    private static PublicKey Key() => PrivateKey.Generate().PublicKey;

    /// <summary>Links <paramref name="peer"/>, has it send <paramref name="times"/> malformed frames (or until dropped), ends the link.</summary>
    private PeerJudgement Misbehave(PublicKey peer, AddressPrefix? from, int times, DateTimeOffset at)
    {
        var standing = _book.Admit(peer, from, at).Standing ?? throw new InvalidOperationException("refused");
        var judgement = default(PeerJudgement);
        for (var i = 0; i < times && !judgement.Refused; i++) judgement = standing.Record(PeerBehaviour.MalformedFrame, at);
        standing.Release(at);
        return judgement;
    }

    /// <summary>What researchers read as peer events: every judgement that moved a score, by a link or by key, with the score after it.</summary>
    [Fact]
    public void The_book_reports_every_judgement_that_moves_a_score_with_the_score_after_it()
    {
        var heard = new List<(PublicKey Peer, PeerBehaviour Behaviour, PeerJudgement Judgement)>();
        var book = new PeerScoreBook(PeerScoreParameters.Default with { ThankedWeight = 0 }, (peer, behaviour, judgement, _) => heard.Add((peer, behaviour, judgement)));
        var (linked, judged) = (Key(), Key());
        var standing = book.Admit(linked, null, Now).Standing!;
        var first = standing.Record(PeerBehaviour.FirstDelivery, Now);
        PeerJudgement last = default;
        for (var i = 0; i < 5 && !last.Refused; i++) last = standing.Record(PeerBehaviour.MalformedFrame, Now);
        var byKey = book.Record(judged, PeerBehaviour.Duplicate, Now);
        book.Record(judged, PeerBehaviour.Thanked, Now); // weight 0: moves nothing, not reported

        Assert.Equal((linked, PeerBehaviour.FirstDelivery, first), heard[0]);
        Assert.Equal((linked, PeerBehaviour.MalformedFrame, last), heard[^2]);
        Assert.True(heard[^2].Judgement.Refused);
        Assert.Equal((judged, PeerBehaviour.Duplicate, byKey), heard[^1]);
        Assert.DoesNotContain(heard, h => h.Behaviour == PeerBehaviour.Thanked);
    }

    [Fact]
    public void Dropped_peer_reconnecting_keeps_its_negative_score()
    {
        var peer = Key();
        Assert.True(Misbehave(peer, null, 2, Now).Refused);

        // Past the ban the peer is back, but with what is left of its penalty, not at 0.
        var later = Now.AddHours(2);
        var standing = _book.Admit(peer, null, later).Standing!;
        Assert.InRange(standing.Score(later), -35, -25); // -100 × 0.99^120
        Assert.True(standing.Record(PeerBehaviour.MalformedFrame, later).Refused);

        // A peer that has done nothing yet survives the same frame.
        var fresh = _book.Admit(Key(), null, later).Standing!;
        Assert.False(fresh.Record(PeerBehaviour.MalformedFrame, later).Refused);
    }

    [Fact]
    public void Banned_identity_is_refused_on_reconnect()
    {
        var peer = Key();
        Assert.True(Misbehave(peer, Attackers, 2, Now).Refused);

        var refused = _book.Admit(peer, Attackers, Now.AddMinutes(59));
        Assert.Null(refused.Standing);
        Assert.Contains("banned until 2025-06-01 11:00:00Z after MalformedFrame", refused.Refusal);
        Assert.Null(_book.Admit(peer, Elsewhere, Now.AddMinutes(59)).Standing); // a new address does not help
        Assert.True(_book.IsBanned(peer, Now.AddMinutes(59)));

        // The ban is over, but the score is still below the threshold: still refused, saying why.
        var stillBelow = _book.Admit(peer, Attackers, Now.AddMinutes(61));
        Assert.Contains("below the threshold -50", stillBelow.Refusal);

        Assert.NotNull(_book.Admit(peer, Attackers, Now.AddHours(2)).Standing);
    }

    [Fact]
    public void New_key_from_a_penalised_prefix_starts_penalised()
    {
        Assert.True(Misbehave(Key(), Attackers, 2, Now).Refused);

        var sameNetwork = Key();
        Assert.Equal(-25, _book.ScoreOf(sameNetwork, Attackers, Now), 3); // a quarter of the dropped key's -100
        Assert.Equal(0, _book.ScoreOf(sameNetwork, Elsewhere, Now));
        // One malformed frame drops it, where a key from elsewhere survives one.
        Assert.True(Misbehave(sameNetwork, Attackers, 1, Now).Refused);
        Assert.False(Misbehave(Key(), Elsewhere, 1, Now).Refused);
    }

    [Fact]
    public void A_peer_is_not_counted_twice_through_its_own_prefix()
    {
        // Its own penalties are in its prefix too; alone on it, it scores exactly as a peer without an address.
        var withAddress = _book.Admit(Key(), Attackers, Now).Standing!;
        var without = _book.Admit(Key(), null, Now).Standing!;
        Assert.Equal(without.Record(PeerBehaviour.MalformedFrame, Now).Score, withAddress.Record(PeerBehaviour.MalformedFrame, Now).Score);
        Assert.False(withAddress.IsBanned(Now)); // -50 is not below -50
    }

    [Fact]
    public void One_bad_neighbour_behind_a_shared_address_does_not_get_an_honest_peer_dropped()
    {
        var honest = _book.Admit(Key(), Attackers, Now).Standing!;
        Assert.True(Misbehave(Key(), Attackers, 10, Now).Refused);

        Assert.InRange(honest.Score(Now), -25.1, -24.9);
        Assert.False(honest.Record(PeerBehaviour.Duplicate, Now).Refused);
        Assert.False(honest.Record(PeerBehaviour.FirstDelivery, Now).Refused);
        Assert.False(honest.IsBanned(Now));
    }

    [Fact]
    public void Many_keys_from_one_prefix_are_refused_after_a_few_bad_frames()
    {
        var admitted = 0;
        var badFrames = 0;
        for (var i = 0; i < 50; i++)
        {
            var admission = _book.Admit(Key(), Attackers, Now);
            if (admission.Standing is not { } standing)
            {
                Assert.Contains("address prefix 203.0.113.0/24 carries", admission.Refusal);
                continue;
            }
            admitted++;
            while (!standing.Record(PeerBehaviour.MalformedFrame, Now).Refused) badFrames++;
            badFrames++;
            standing.Release(Now);
        }
        Assert.InRange(admitted, 1, 6);
        Assert.InRange(badFrames, 1, 8);
        Assert.NotNull(_book.Admit(Key(), Elsewhere, Now).Standing);
    }

    [Fact]
    public void Keys_of_one_prefix_misbehaving_together_get_the_prefix_banned_before_any_handshake()
    {
        var standings = Enumerable.Range(0, 5).Select(_ => _book.Admit(Key(), Attackers, Now).Standing!).ToList();
        var bans = new List<string>();
        foreach (var standing in standings)
            for (var i = 0; i < 2; i++)
                if (standing.Record(PeerBehaviour.MalformedFrame, Now).PrefixBanned is { } banned) bans.Add(banned);

        Assert.Contains("address prefix 203.0.113.0/24 banned until 2025-06-01 11:00:00Z", Assert.Single(bans));
        Assert.NotNull(_book.RefusalOf(Attackers, Now));
        Assert.Null(_book.RefusalOf(Elsewhere, Now));
        Assert.Contains("address prefix 203.0.113.0/24 banned", _book.Admit(Key(), Attackers, Now).Refusal);
    }

    [Fact]
    public void Credit_is_capped_and_a_penalty_decays_to_zero_then_is_forgotten()
    {
        var peer = Key();
        var standing = _book.Admit(peer, null, Now).Standing!;
        for (var i = 0; i < 500; i++) standing.Record(PeerBehaviour.FirstDelivery, Now);
        Assert.Equal(50, standing.Score(Now));
        Assert.True(standing.Score(Now.AddMinutes(10)) < 20); // credit must be kept up

        standing.Record(PeerBehaviour.Duplicate, Now.AddHours(3));
        standing.Release(Now.AddHours(3));
        Assert.Equal(1, _book.Count); // a penalty is remembered after the link
        Assert.Equal(0, _book.ScoreOf(peer, Now.AddHours(6))); // -0.5 × 0.99^180 is under decay-to-zero
    }

    [Fact]
    public void A_peer_that_leaves_with_nothing_against_it_is_forgotten_at_once()
    {
        var standing = _book.Admit(Key(), Attackers, Now).Standing!;
        Assert.Equal(1, _book.Count);
        standing.Release(Now);
        standing.Release(Now); // once only
        Assert.Equal(0, _book.Count);
    }

    [Fact]
    public void After_100000_distinct_identities_the_book_holds_at_most_its_capacity()
    {
        var book = new PeerScoreBook(PeerScoreParameters.Default with { Capacity = 10_000, PrefixCapacity = 1_000 });
        var keys = ManyKeys.Value;
        var largest = 0;
        for (var i = 0; i < keys.Count; i++)
        {
            var at = Now.AddMilliseconds(i);
            var from = AddressPrefix.Of(new IPAddress(BitConverter.GetBytes(0x0A000000 + i * 256)));
            var standing = book.Admit(keys[i], from, at).Standing!;
            if (i % 3 != 0) standing.Record(i % 3 == 1 ? PeerBehaviour.Duplicate : PeerBehaviour.FirstDelivery, at);
            standing.Release(at);
            largest = Math.Max(largest, book.Count);
        }
        Assert.InRange(largest, 1, 10_000);
        Assert.InRange(book.PrefixCount, 1, 1_000);
    }

    [Fact]
    public void A_flood_of_fresh_keys_forgets_neither_a_ban_nor_a_heavy_penalty()
    {
        // What an attacker with many keys can do to a full book: fill it with entries at zero (forgotten first) or with
        // petty penalties (the mildest forgotten first). The ban and the heavier penalty it wants gone stay.
        var book = new PeerScoreBook(PeerScoreParameters.Default with { Capacity = 1_000 });
        var (banned, penalised) = (Key(), Key());
        var standing = book.Admit(banned, null, Now).Standing!;
        standing.Record(PeerBehaviour.MalformedFrame, Now);
        Assert.True(standing.Record(PeerBehaviour.MalformedFrame, Now).Refused);
        standing.Release(Now);
        book.Record(penalised, PeerBehaviour.InvalidFrame, Now);

        foreach (var (key, i) in ManyKeys.Value.Take(20_000).Select((k, i) => (k, i)))
        {
            var flood = book.Admit(key, null, Now).Standing!;
            if (i % 2 == 0) flood.Record(PeerBehaviour.Duplicate, Now);
            flood.Release(Now);
        }

        Assert.InRange(book.Count, 1, 1_000);
        Assert.True(book.IsBanned(banned, Now));
        Assert.Equal(-40, book.ScoreOf(penalised, Now));
    }

    [Fact]
    public void A_peer_with_a_live_link_is_never_forgotten()
    {
        var book = new PeerScoreBook(PeerScoreParameters.Default with { Capacity = 10 });
        var linked = book.Admit(Key(), null, Now).Standing!;
        foreach (var key in Enumerable.Range(0, 100).Select(_ => Key())) book.Record(key, PeerBehaviour.MalformedFrame, Now);

        // The guardian's judgement, by key, lands on the linked peer's entry: the connection sees it before its next frame.
        book.Record(linked.Peer, PeerBehaviour.MalformedFrame, Now);
        book.Record(linked.Peer, PeerBehaviour.MalformedFrame, Now);
        Assert.True(linked.IsBanned(Now));
        Assert.InRange(book.Count, 1, 10);
    }

    public static TheoryData<PeerScoreParameters, string> BadParameters => new()
    {
        { PeerScoreParameters.Default with { FirstDeliveryWeight = -1 }, "weights.first-delivery: must be 0 or more" },
        { PeerScoreParameters.Default with { ThankedWeight = double.NaN }, "weights.thanked: must be 0 or more" },
        { PeerScoreParameters.Default with { MalformedWeight = 5 }, "weights.malformed-frame: must be 0 or less: it is a penalty (got 5)" },
        { PeerScoreParameters.Default with { InvalidWeight = double.NegativeInfinity }, "weights.invalid-frame: must be 0 or less" },
        { PeerScoreParameters.Default with { WrongProofWeight = 1 }, "weights.wrong-proof: must be 0 or less" },
        { PeerScoreParameters.Default with { DuplicateWeight = 0.5 }, "weights.duplicate: must be 0 or less" },
        { PeerScoreParameters.Default with { FloodWeight = 10 }, "weights.flood: must be 0 or less" },
        { PeerScoreParameters.Default with { PositiveCap = -1 }, "positive-cap: must be 0 or more" },
        { PeerScoreParameters.Default with { PositiveDecayPerMinute = 1 }, "positive-decay-per-minute: must be between 0 and 1, both excluded (got 1)" },
        { PeerScoreParameters.Default with { NegativeDecayPerMinute = 0 }, "negative-decay-per-minute: must be between 0 and 1" },
        { PeerScoreParameters.Default with { DecayToZero = 1.5 }, "decay-to-zero: must be between 0 and 1" },
        { PeerScoreParameters.Default with { DisconnectThreshold = 0 }, "disconnect-threshold: must be below 0" },
        { PeerScoreParameters.Default with { PrefixBanThreshold = -10 }, "prefix-ban-threshold: must be at most disconnect-threshold (-50)" },
        { PeerScoreParameters.Default with { BanPeriod = TimeSpan.Zero }, "ban-period: must be a positive duration" },
        { PeerScoreParameters.Default with { PrefixWeight = 1.5 }, "prefix-weight: must be 0..1" },
        { PeerScoreParameters.Default with { Capacity = 0 }, "capacity: must be at least 1 (got 0)" },
        { PeerScoreParameters.Default with { PrefixCapacity = -3 }, "prefix-capacity: must be at least 1 (got -3)" },
    };

    [Theory]
    [MemberData(nameof(BadParameters))]
    public void Scoring_parameters_are_validated_naming_the_key(PeerScoreParameters parameters, string expected)
    {
        Assert.StartsWith(expected, parameters.Validate()!.ToString());
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => new PeerScoreBook(parameters)).Message);
    }

    [Fact]
    public void The_default_parameters_are_valid_and_a_prefix_is_a_24_or_a_64()
    {
        Assert.Null(PeerScoreParameters.Default.Validate());
        Assert.Equal("203.0.113.0/24", Attackers.ToString());
        Assert.Equal(Attackers, AddressPrefix.Of(IPAddress.Parse("::ffff:203.0.113.200")));
        Assert.Equal("2001:db8:1:2::/64", AddressPrefix.Of(IPAddress.Parse("2001:db8:1:2:aaaa::1")).ToString());
        Assert.Equal(AddressPrefix.Of(IPAddress.Parse("2001:db8:1:2::7")), AddressPrefix.Of(IPAddress.Parse("2001:db8:1:2:ffff::1")));
        Assert.NotEqual(AddressPrefix.Of(IPAddress.Parse("2001:db8:1:3::7")), AddressPrefix.Of(IPAddress.Parse("2001:db8:1:2::7")));
    }

    /// <summary>
    /// Distinct valid keys, as cheaply as keys come: random x coordinates that are on the curve (a square root each, no
    /// scalar multiplication), on every core.
    /// </summary>
    private static readonly Lazy<List<PublicKey>> ManyKeys = new(() => RandomKeys(100_000, seed: 1));

    private static List<PublicKey> RandomKeys(int count, int seed)
    {
        var chunks = Environment.ProcessorCount;
        var found = new List<PublicKey>[chunks];
        Parallel.For(0, chunks, chunk =>
        {
            var random = new Random(seed * 1_000 + chunk);
            var keys = found[chunk] = new List<PublicKey>(count / chunks + 1);
            var bytes = new byte[32];
            while (keys.Count < count / chunks + 1)
            {
                random.NextBytes(bytes);
                if (PublicKey.TryFromBytes(bytes, out var key)) keys.Add(key);
            }
        });
        var distinct = found.SelectMany(k => k).Distinct().Take(count).ToList();
        Assert.Equal(count, distinct.Count);
        return distinct;
    }
}
