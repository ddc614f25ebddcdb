using SweetGossip.Node.Routing;

namespace SweetGossip.Node.Tests.Routing;

/// <summary>
/// What a topic's first hop sees of its sender (hops_remaining, path_fee_msat) must not tell an originator from a relay.
/// A chi-square test of homogeneity on many sends: the distribution of what originators send against what relays send
/// at the maximum hops (below it the sender is a relay, which exposes no originator).
/// </summary>
public class OriginCoverTests
{
    private const int MaxHops = 8;
    private const ulong RelayFee = 1_000;
    private const int Samples = 20_000;

    /// <summary>Sends from originators, and from relays one hop further whose sends kept the maximum hops.</summary>
    private static (List<(int, ulong)> Originators, List<(int, ulong)> Relays) Observe(Func<Random, (int, ulong)> origin, Func<(int, ulong), Random, (int, ulong)> relay, int seed)
    {
        var random = new Random(seed);
        var originators = new List<(int, ulong)>();
        var relays = new List<(int, ulong)>();
        while (originators.Count < Samples) originators.Add(origin(random));
        while (relays.Count < Samples)
        {
            var onward = relay(origin(random), random);
            if (onward.Item1 >= MaxHops) relays.Add(onward);
        }
        return (originators, relays);
    }

    /// <summary>Pearson's chi-square statistic of two samples over their common categories, and its degrees of freedom.</summary>
    internal static (double Statistic, int DegreesOfFreedom) ChiSquare(List<(int, ulong)> a, List<(int, ulong)> b)
    {
        var categories = a.Concat(b).Distinct().ToList();
        var countsA = a.GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        var countsB = b.GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        double total = a.Count + b.Count, statistic = 0;
        foreach (var category in categories)
        {
            var (oa, ob) = (countsA.GetValueOrDefault(category), countsB.GetValueOrDefault(category));
            var expectedA = (oa + ob) * a.Count / total;
            var expectedB = (oa + ob) * b.Count / total;
            statistic += (oa - expectedA) * (oa - expectedA) / expectedA + (ob - expectedB) * (ob - expectedB) / expectedB;
        }
        return (statistic, categories.Count - 1);
    }

    // Upper 0.001 quantile of chi-square, Wilson–Hilferty approximation (ample for a test at this sample size).
    internal static double Critical(int df) => df * Math.Pow(1 - 2.0 / (9 * df) + 3.090232 * Math.Sqrt(2.0 / (9 * df)), 3);

    [Fact]
    public void The_first_hop_cannot_tell_an_originator_from_a_relay_by_what_it_sends()
    {
        var cover = new OriginCover(MaxHops, RelayFee, keep: 0.5);
        var (originators, relays) = Observe(cover.ForOrigin, (received, r) => cover.Onward(received.Item1, received.Item2, r), seed: 42);
        var (statistic, df) = ChiSquare(originators, relays);
        Assert.True(statistic < Critical(df), $"chi-square {statistic:0.0} on {df} df: the two are told apart (critical {Critical(df):0.0})");
        // Every value an originator sends is one relays send too: none gives itself away.
        var relayValues = relays.ToHashSet();
        Assert.All(originators.Distinct(), o => Assert.Contains(o, relayValues));
    }

    [Fact]
    public void Without_the_cover_the_same_test_tells_every_originator_apart()
    {
        // Today's rule before D21: an originator sends the maximum hops and no path fee; a relay one hop less and its fee.
        var random = new Random(42);
        var relaySends = Enumerable.Range(0, Samples).Select(_ => (Hops: MaxHops - 1, Fee: RelayFee)).ToList();
        Assert.DoesNotContain(relaySends, s => s.Hops == MaxHops); // no relay ever sends at the maximum: what arrives there is an originator's
        var originators = Enumerable.Range(0, Samples).Select(_ => (MaxHops, 0UL)).ToList();
        var (statistic, df) = ChiSquare(originators, relaySends.Select(s => (s.Hops, s.Fee)).ToList());
        Assert.True(statistic > Critical(df), $"chi-square {statistic:0.0} on {df} df should reject");
        _ = random;
    }

    [Fact]
    public void An_originator_keeps_the_full_reach_and_relays_below_the_maximum_count_down()
    {
        var cover = new OriginCover(MaxHops, RelayFee, keep: 0.5);
        var random = new Random(7);
        Assert.All(Enumerable.Range(0, 1_000).Select(_ => cover.ForOrigin(random)), o => Assert.Equal(MaxHops, o.Hops));
        Assert.Equal((4, 3_500UL), cover.Onward(5, 2_500, random));
        Assert.Equal((MaxHops, 0UL), new OriginCover(MaxHops, RelayFee, keep: 0).ForOrigin(random)); // off: as before
        var dear = new OriginCover(MaxHops, ulong.MaxValue / 2, keep: 0.99);
        Assert.All(Enumerable.Range(0, 100).Select(_ => dear.ForOrigin(random)), o => Assert.True(o.PathFeeMsat >= ulong.MaxValue / 2 || o.PathFeeMsat == 0));
    }
}

/// <summary>
/// The per-payload cover of announce mode (docs/protocol.md D23, D24): as private to the first hop as the per-relay
/// coin, and hops_remaining still orders relays by their distance from the origin, which announcers are ranked by.
/// </summary>
public class PayloadOriginCoverTests
{
    private const int MaxHops = 8;
    private const ulong RelayFee = 1_000;

    /// <summary>What a relay <paramref name="depth"/> hops from the origin sends, for one send of the origin.</summary>
    private static (int Hops, ulong Fee) AtDepth(IOriginCover cover, (int Hops, ulong Fee) origin, int depth, Random random)
    {
        var sent = origin;
        for (var i = 0; i < depth; i++) sent = cover.Onward(sent.Hops, sent.Fee, random);
        return sent;
    }

    [Fact]
    public void The_first_hop_cannot_tell_an_originator_from_a_relay_by_what_it_sends()
    {
        var cover = new PayloadOriginCover(MaxHops, RelayFee, keep: 0.5);
        var random = new Random(42);
        var originators = Enumerable.Range(0, 20_000).Select(_ => cover.ForOrigin(random)).ToList();
        var relays = new List<(int, ulong)>();
        while (relays.Count < 20_000)
        {
            var sent = AtDepth(cover, cover.ForOrigin(random), random.Next(1, 4), random);
            if (sent.Hops >= MaxHops) relays.Add(sent);
        }
        // The rare large offsets pooled into one category, so that no category's expected count is tiny.
        static List<(int, ulong)> Pooled(List<(int, ulong)> sends) => sends.Select(s => (Math.Min(s.Item1, MaxHops + 6), s.Item2)).ToList();
        var (statistic, df) = OriginCoverTests.ChiSquare(Pooled(originators), Pooled(relays));
        var critical = OriginCoverTests.Critical(df);
        Assert.True(statistic < critical, $"chi-square {statistic:0.0} on {df} df: the two are told apart (critical {critical:0.0})");
        var relayValues = relays.ToHashSet();
        Assert.All(originators.Distinct().Where(o => o.Hops < MaxHops + 8), o => Assert.Contains(o, relayValues));
        Assert.DoesNotContain(originators.Concat(relays), s => s.Item2 != 0); // no fee is added above the maximum
    }

    [Fact]
    public void A_relay_that_kept_the_maximum_does_not_outrank_a_nearer_announcer()
    {
        // The attack on the ranking is no one's doing: with a coin per relay, a path that kept the maximum more often
        // announces more hops_remaining than a shorter one, and the gather grants the deeper announcer.
        var random = new Random(7);
        var perRelay = new OriginCover(MaxHops, RelayFee, keep: 0.5);
        var misranked = Enumerable.Range(0, 1_000).Count(_ =>
        {
            var origin = perRelay.ForOrigin(random);
            return AtDepth(perRelay, origin, 3, random).Hops > AtDepth(perRelay, origin, 2, random).Hops;
        });
        Assert.True(misranked > 0, "the per-relay coin should misrank some deeper paths");

        var perPayload = new PayloadOriginCover(MaxHops, RelayFee, keep: 0.5);
        for (var i = 0; i < 1_000; i++)
        {
            var origin = perPayload.ForOrigin(random);
            var byDepth = Enumerable.Range(1, 6).Select(d => AtDepth(perPayload, origin, d, random).Hops).ToList();
            Assert.Equal(byDepth.OrderByDescending(h => h), byDepth); // strictly one less per hop
            Assert.Equal(byDepth.Count, byDepth.Distinct().Count());
        }
    }

    [Fact]
    public void An_originator_reaches_at_least_max_hops_within_the_wire_limit_and_relays_pay_fees_below_it()
    {
        var random = new Random(3);
        var cover = new PayloadOriginCover(MaxHops, RelayFee, keep: 0.99);
        Assert.All(Enumerable.Range(0, 1_000).Select(_ => cover.ForOrigin(random)), o => Assert.InRange(o.Hops, MaxHops, SweetGossip.Protocol.Wire.WireLimits.MaxHops));
        Assert.Equal((MaxHops, 0UL), cover.Onward(MaxHops + 1, 0, random));
        Assert.Equal((MaxHops - 1, RelayFee), cover.Onward(MaxHops, 0, random));
        Assert.Equal((MaxHops, 0UL), new PayloadOriginCover(MaxHops, RelayFee, keep: 0).ForOrigin(random)); // off
        Assert.Equal((32, 0UL), new PayloadOriginCover(32, RelayFee, keep: 0.99).ForOrigin(random)); // no room on the wire: off
    }
}
