using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Tests.Adversaries;

/// <summary>
/// Attackers as their peers meet them: frames on in-memory links, the attack in what the adversary peer
/// withholds or sends of its own, the honest nodes around it unchanged.
/// </summary>
public sealed class AdversaryPeerTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    private static Attack Of(AttackKind kind) => new() { Kind = kind, Fraction = 0 };

    [Fact]
    public void A_silent_peer_accepts_a_topic_and_passes_it_to_nobody_but_still_sends_its_own()
    {
        using var world = new SmallWorld();
        var origin = world.Honest("origin");
        var silent = world.Attacker("silent", Of(AttackKind.Silent), null, ["origin"]);
        world.Honest("sink", "silent");
        world.Run(TimeSpan.FromSeconds(1));

        var topic = world.Originate(origin);
        var own = world.Originate(silent);
        world.Run(Settle);

        Assert.True(world.Seen.Got(world.KeyOf("silent"), topic), "the topic reached the attacker's node");
        Assert.False(world.Seen.Got(world.KeyOf("sink"), topic), "the silent peer passed the topic on");
        Assert.True(world.Seen.Got(world.KeyOf("sink"), own), "the attacker's own ride did not go out");
    }

    [Fact]
    public void A_censor_really_relays_other_originators_topics_and_drops_the_target_s()
    {
        using var world = new SmallWorld();
        var target = world.Honest("target");
        var other = world.Honest("other");
        world.Attacker("censor", Of(AttackKind.Censorship), "target", ["target", "other"]);
        world.Honest("sink", "censor");
        world.Run(TimeSpan.FromSeconds(1));

        var censored = world.Originate(target);
        var carried = world.Originate(other);
        world.Run(Settle);

        var sink = world.KeyOf("sink");
        Assert.True(world.Seen.Got(world.KeyOf("censor"), censored), "the target's topic reached the censor");
        Assert.False(world.Seen.Got(sink, censored), "the censor passed the target's topic on");
        Assert.Contains(world.Seen.Accepted, a => a.Node.Equals(sink) && a.Payload == carried && a.From.Equals(world.KeyOf("censor")));
    }

    [Fact]
    public void A_chatterbox_asks_its_peers_again_and_they_see_every_repeat_as_a_duplicate()
    {
        using var world = new SmallWorld();
        var origin = world.Honest("origin");
        world.Attacker("chatterbox", Of(AttackKind.Chatterbox) with { RepeatsPerTopic = 3, RepeatIntervalSeconds = 2 }, null, ["origin"]);
        world.Honest("sink", "chatterbox");
        world.Run(TimeSpan.FromSeconds(1));

        var topic = world.Originate(origin);
        world.Run(Settle);

        var chatterbox = world.KeyOf("chatterbox");
        Assert.True(world.Seen.Got(world.KeyOf("sink"), topic));
        // Three repeats, each a duplicate offer at the sink; none to the peer it got the topic from.
        Assert.Equal(3, world.Seen.Duplicates.Count(d => d.Node.Equals(world.KeyOf("sink")) && d.From.Equals(chatterbox) && d.Payload == topic));
        Assert.DoesNotContain(world.Seen.Duplicates, d => d.Node.Equals(world.KeyOf("origin")) && d.From.Equals(chatterbox));
    }

    [Fact]
    public void A_chatterbox_pays_the_work_its_repeats_are_asked_and_so_reaches_a_peer_its_node_skipped()
    {
        using var world = new SmallWorld();
        var origin = world.Honest("origin");
        // Its node passes topics on to one peer only; the repeats ask both.
        world.Attacker("chatterbox", Of(AttackKind.Chatterbox) with { RepeatsPerTopic = 1, RepeatIntervalSeconds = 2 }, null, ["origin"], fanout: 1);
        world.Honest("left", "chatterbox");
        world.Honest("right", "chatterbox");
        world.Run(TimeSpan.FromSeconds(1));

        var topic = world.Originate(origin);
        world.Run(Settle);

        var chatterbox = world.KeyOf("chatterbox");
        Assert.Contains(world.Seen.Accepted, a => a.Node.Equals(world.KeyOf("left")) && a.Payload == topic && a.From.Equals(chatterbox));
        Assert.Contains(world.Seen.Accepted, a => a.Node.Equals(world.KeyOf("right")) && a.Payload == topic && a.From.Equals(chatterbox));
    }

    [Fact]
    public void An_honest_node_in_the_same_place_passes_the_topic_on()
    {
        // The control for the tests above: the same line with an honest middle carries the topic through.
        using var world = new SmallWorld();
        var origin = world.Honest("origin");
        world.Honest("middle", "origin");
        world.Honest("sink", "middle");
        world.Run(TimeSpan.FromSeconds(1));

        var topic = world.Originate(origin);
        world.Run(Settle);

        Assert.True(world.Seen.Got(world.KeyOf("sink"), topic));
        Assert.DoesNotContain(world.Seen.Duplicates, d => d.Payload == topic);
    }
}
