using SweetGossip.Node.Routing;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Node.Tests.Routing;

/// <summary>
/// Which peers a topic asks (<see cref="PeerChoice"/>): the outbound quota against Sybils dialling in, delivery ranking
/// against peers that take topics and drop them, exploration for peers not heard from yet. Each test also runs the
/// attack with the defence off and shows it then succeeds.
/// </summary>
public sealed class PeerChoiceTests
{
    private static readonly PeerChoiceSettings Defaults = new(OutboundQuota: 2, DeficitAfter: 4, Exploration: 1);

    private static PublicKey[] Keys(int n) => [.. Enumerable.Range(0, n).Select(_ => PrivateKey.Generate().PublicKey)];

    [Fact]
    public void Sybils_dialling_in_cannot_take_every_ask_past_the_outbound_quota()
    {
        var dialled = Keys(2);
        var sybils = Keys(60);
        int Missed(PeerChoiceSettings settings)
        {
            var choice = new PeerChoice(settings, new Random(1));
            foreach (var peer in dialled) choice.Linked(peer, dialled: true);
            foreach (var sybil in sybils) choice.Linked(sybil, dialled: false);
            return Enumerable.Range(0, 100).Count(_ => !dialled.All(choice.Choose([], 3).Contains));
        }

        Assert.Equal(0, Missed(Defaults));
        Assert.Equal(0, Missed(PeerChoiceSettings.Uniform with { OutboundQuota = 2 })); // the quota alone
        Assert.True(Missed(PeerChoiceSettings.Uniform) > 90); // uniform: 60 Sybils take nearly every ask
    }

    [Fact]
    public void A_dropper_handed_topics_that_never_offers_one_is_asked_last_and_scored_down()
    {
        var (dropper, relays) = (Keys(1)[0], Keys(3));
        var choice = new PeerChoice(Defaults with { OutboundQuota = 0, Exploration = 0 }, new Random(2));
        choice.Linked(dropper, dialled: false);
        foreach (var relay in relays) choice.Linked(relay, dialled: false);

        Assert.False(choice.Handed(dropper));
        Assert.False(choice.Handed(dropper));
        Assert.False(choice.Handed(dropper));
        Assert.True(choice.Handed(dropper)); // the fourth topic since it last offered one: the caller records the deficit
        Assert.True(choice.IsInDeficit(dropper));
        for (var i = 0; i < 50; i++) Assert.DoesNotContain(dropper, choice.Choose([], 3));

        var uniform = new PeerChoice(Defaults with { OutboundQuota = 0, Exploration = 0, DeficitAfter = 0 }, new Random(2));
        uniform.Linked(dropper, dialled: false);
        foreach (var relay in relays) uniform.Linked(relay, dialled: false);
        for (var i = 0; i < 4; i++) Assert.False(uniform.Handed(dropper));
        Assert.Contains(Enumerable.Range(0, 50), _ => uniform.Choose([], 3).Contains(dropper));
    }

    [Fact]
    public void A_peer_that_offers_topics_is_asked_before_peers_not_heard_from_and_an_offer_clears_a_deficit()
    {
        var peers = Keys(6);
        var choice = new PeerChoice(Defaults with { OutboundQuota = 0, Exploration = 0 }, new Random(3));
        foreach (var peer in peers) choice.Linked(peer, dialled: false);
        choice.FirstDelivery(peers[4]);
        for (var i = 0; i < 20; i++) Assert.Equal(peers[4], choice.Choose([], 1)[0]);

        for (var i = 0; i < 4; i++) choice.Handed(peers[4]);
        Assert.True(choice.IsInDeficit(peers[4]));
        choice.FirstDelivery(peers[4]);
        Assert.False(choice.IsInDeficit(peers[4]));
    }

    [Fact]
    public void Flash_sybils_dialling_in_rank_behind_the_peers_this_node_dialled_before_either_has_offered()
    {
        var (dialled, flash) = (Keys(2), Keys(20));
        var choice = new PeerChoice(Defaults with { OutboundQuota = 0, Exploration = 0 }, new Random(7));
        foreach (var peer in dialled) choice.Linked(peer, dialled: true);
        foreach (var sybil in flash) choice.Linked(sybil, dialled: false);
        for (var i = 0; i < 20; i++) Assert.Equal(dialled.ToHashSet(), choice.Choose([], 2).ToHashSet());

        var uniform = new PeerChoice(PeerChoiceSettings.Uniform, new Random(7));
        foreach (var peer in dialled) uniform.Linked(peer, dialled: true);
        foreach (var sybil in flash) uniform.Linked(sybil, dialled: false);
        Assert.Contains(Enumerable.Range(0, 20), _ => uniform.Choose([], 2).Any(flash.Contains));
    }

    [Fact]
    public void A_dialled_peer_in_deficit_does_not_fill_the_outbound_quota()
    {
        var (turned, honest) = (Keys(1)[0], Keys(4));
        var choice = new PeerChoice(Defaults with { OutboundQuota = 1, Exploration = 0 }, new Random(4));
        choice.Linked(turned, dialled: true);
        foreach (var peer in honest) { choice.Linked(peer, dialled: false); choice.FirstDelivery(peer); }
        for (var i = 0; i < 4; i++) choice.Handed(turned);
        for (var i = 0; i < 50; i++) Assert.DoesNotContain(turned, choice.Choose([], 2));
    }

    [Fact]
    public void Exploration_reaches_a_peer_not_heard_from_yet_past_peers_that_offered()
    {
        var (quiet, proven) = (Keys(1)[0], Keys(3));
        int Reached(int exploration)
        {
            var choice = new PeerChoice(Defaults with { OutboundQuota = 0, Exploration = exploration }, new Random(5));
            choice.Linked(quiet, dialled: false);
            foreach (var peer in proven) { choice.Linked(peer, dialled: false); choice.FirstDelivery(peer); }
            return Enumerable.Range(0, 100).Count(_ => choice.Choose([], 3).Contains(quiet));
        }

        Assert.True(Reached(1) > 0);
        Assert.Equal(0, Reached(0));
    }

    [Fact]
    public void The_choice_is_distinct_linked_peers_not_excluded_and_a_link_s_end_forgets_its_peer()
    {
        var peers = Keys(5);
        var choice = new PeerChoice(Defaults, new Random(6));
        for (var i = 0; i < peers.Length; i++) choice.Linked(peers[i], dialled: i % 2 == 0);
        var chosen = choice.Choose([peers[0]], 8);
        Assert.Equal(4, chosen.Count);
        Assert.Equal(4, chosen.Distinct().Count());
        Assert.DoesNotContain(peers[0], chosen);
        choice.Unlinked(peers[1]);
        Assert.Equal(4, choice.Count);
        Assert.DoesNotContain(peers[1], choice.Choose([], 8));
        Assert.False(choice.Handed(peers[1])); // not linked: nothing kept
        Assert.Equal(4, choice.Count);
    }

    /// <summary>
    /// Sybils dialling in take the asks of a node that has not learnt yet: with extra asks, each ask to a peer not proven
    /// brings one more, which goes to a proven relay first; without them the fanout is spent on the Sybils.
    /// </summary>
    [Fact]
    public void Sybils_taking_asks_do_not_use_up_the_fanout_with_extra_asks()
    {
        var (relays, sybils) = (Keys(2), Keys(30));
        int RelaysAsked(int extraAsks, out int asks)
        {
            var choice = new PeerChoice(Defaults with { OutboundQuota = 0, Exploration = 2, ExtraAsks = extraAsks }, new Random(8));
            foreach (var peer in relays) { choice.Linked(peer, dialled: false); choice.FirstDelivery(peer); }
            foreach (var sybil in sybils) choice.Linked(sybil, dialled: false);
            var chosen = choice.Choose([], 2);
            asks = chosen.Count;
            return chosen.Count(relays.Contains);
        }

        // Exploration 2 of fanout 2 lands on Sybils nearly always; the extra asks then go to the proven relays.
        Assert.Equal(2, RelaysAsked(2, out var withExtra));
        Assert.Equal(4, withExtra);
        Assert.Equal(0, RelaysAsked(0, out var without));
        Assert.Equal(2, without);
    }

    [Fact]
    public void Extra_asks_stay_within_the_room_the_caller_gives_and_none_are_added_for_proven_peers()
    {
        var peers = Keys(6);
        var choice = new PeerChoice(Defaults with { OutboundQuota = 0, Exploration = 0, ExtraAsks = 3 }, new Random(9));
        foreach (var peer in peers) choice.Linked(peer, dialled: false);
        Assert.Equal(3, choice.Choose([], 2, maxExtra: 1).Count);
        Assert.Equal(4, choice.Choose([], 2).Count); // two not proven: two extra
        foreach (var peer in peers) choice.FirstDelivery(peer);
        Assert.Equal(2, choice.Choose([], 2).Count);
    }

    /// <summary>
    /// A chatterbox relays (so it delivers first often) and repeats its asks (so its score sinks): once its score is below
    /// zero it is no longer proven, and relays that have not misbehaved are asked before it.
    /// </summary>
    [Fact]
    public void A_chatterbox_that_delivers_first_is_not_asked_first_once_its_score_is_negative()
    {
        var (chatterbox, relays) = (Keys(1)[0], Keys(5));
        int AskedFirst(bool scored)
        {
            var choice = new PeerChoice(Defaults with { OutboundQuota = 0, Exploration = 0 }, new Random(10));
            choice.Linked(chatterbox, dialled: false);
            foreach (var relay in relays) choice.Linked(relay, dialled: false);
            choice.FirstDelivery(chatterbox);
            if (scored) choice.Scored(chatterbox, -0.5);
            return Enumerable.Range(0, 50).Count(_ => choice.Choose([], 1)[0].Equals(chatterbox));
        }

        Assert.Equal(50, AskedFirst(scored: false)); // proven by its deliveries: always first
        Assert.True(AskedFirst(scored: true) < 25, "a peer with a negative score was still asked first");
    }

    /// <summary>
    /// After a flash of Sybils dialling in, a node's honest downstream neighbours are in deficit (it handed them topics; they
    /// seldom deliver it one first) and rank behind every Sybil not heard from. Opportunistic grafting sees that the peers
    /// it would ask (the Sybils) deliver nothing and asks the neighbour that delivered before and the one it dialled again;
    /// without it they are never asked while the Sybils are there.
    /// </summary>
    [Fact]
    public void Opportunistic_grafting_asks_honest_neighbours_in_deficit_again_after_a_flash_of_sybils()
    {
        var (upstream, former, dialled, sybils) = (Keys(1)[0], Keys(1)[0], Keys(1)[0], Keys(20));
        PeerChoice Flash(int graftEvery)
        {
            var choice = new PeerChoice(Defaults with { OutboundQuota = 0, Exploration = 0, GraftEvery = graftEvery, GraftCount = 2 }, new Random(11));
            choice.Linked(upstream, dialled: false);
            choice.Linked(former, dialled: false);
            choice.Linked(dialled, dialled: true);
            choice.FirstDelivery(former); // delivered once, before the flash
            for (var i = 0; i < 4; i++) { choice.Handed(former); choice.Handed(dialled); }
            foreach (var sybil in sybils) choice.Linked(sybil, dialled: false);
            choice.FirstDelivery(upstream); // the next topic accepted: the grafting period (1) has come
            return choice;
        }

        var grafted = Flash(graftEvery: 1);
        Assert.False(grafted.IsInDeficit(former));
        Assert.False(grafted.IsInDeficit(dialled));
        var chosen = grafted.Choose([], 3);
        Assert.Contains(former, chosen);
        Assert.Contains(dialled, chosen);
        // Still delivering nothing: in deficit again after deficit-after (4) more topics.
        for (var i = 0; i < 3; i++) Assert.False(grafted.Handed(former));
        Assert.True(grafted.Handed(former));

        var without = Flash(graftEvery: 0);
        Assert.True(without.IsInDeficit(former));
        for (var i = 0; i < 50; i++)
        {
            var asked = without.Choose([], 3);
            Assert.DoesNotContain(former, asked);
            Assert.DoesNotContain(dialled, asked);
        }
    }

    /// <summary>Grafting acts only while the peers not in deficit deliver little: with proven relays around, a peer in deficit stays there.</summary>
    [Fact]
    public void Opportunistic_grafting_leaves_a_deficit_alone_while_the_peers_asked_deliver()
    {
        var (relays, dropper) = (Keys(3), Keys(1)[0]);
        var choice = new PeerChoice(Defaults with { OutboundQuota = 0, Exploration = 0, GraftEvery = 1, GraftCount = 2 }, new Random(12));
        foreach (var relay in relays) choice.Linked(relay, dialled: false);
        choice.Linked(dropper, dialled: true);
        for (var round = 0; round < 3; round++)
            foreach (var relay in relays) choice.FirstDelivery(relay); // each relay's score ends above 1: the median too
        for (var i = 0; i < 4; i++) choice.Handed(dropper);
        foreach (var relay in relays) choice.FirstDelivery(relay); // three grafting periods: the relays deliver, no graft
        Assert.True(choice.IsInDeficit(dropper));
    }

    /// <summary>
    /// Among peers in deficit that never delivered and dialled in, grafting takes the one linked longest (GossipSub's P1,
    /// time in mesh): an honest downstream neighbour linked before a flash, not the Sybils that joined with it.
    /// </summary>
    [Fact]
    public void Opportunistic_grafting_takes_the_longest_linked_peer_first_among_equals()
    {
        var (upstream, neighbour, sybils, fresh) = (Keys(1)[0], Keys(1)[0], Keys(10), Keys(5));
        var choice = new PeerChoice(Defaults with { OutboundQuota = 0, Exploration = 0, GraftEvery = 1, GraftCount = 1 }, new Random(13));
        choice.Linked(upstream, dialled: false);
        choice.Linked(neighbour, dialled: false);
        foreach (var sybil in sybils) choice.Linked(sybil, dialled: false);
        foreach (var peer in fresh) choice.Linked(peer, dialled: false); // not heard from: the median of the peers asked is 0
        foreach (var peer in sybils.Prepend(neighbour))
            for (var i = 0; i < 4; i++) choice.Handed(peer);
        choice.FirstDelivery(upstream);
        Assert.False(choice.IsInDeficit(neighbour));
        Assert.All(sybils, sybil => Assert.True(choice.IsInDeficit(sybil)));
        Assert.Contains(neighbour, choice.Choose([], 2)); // upstream (proven), then the grafted neighbour before the fresh peers
    }
}

