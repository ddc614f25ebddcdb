using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using SweetGossip.Simulation.Adversaries;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Tests.Adversaries;

/// <summary>Which of its own node's frames each attacker keeps back, and when (docs/simulation.md, "Attacks").</summary>
public sealed class AttackRulesTests
{
    private static readonly DateTimeOffset Turn = new(2026, 1, 1, 8, 1, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Before = Turn.AddSeconds(-1);
    private static readonly CertificateAuthority Authority = new("Test Taxi Council", Entropy.Seeded(1).NewKey());
    private static readonly PrivateKey Self = Entropy.Seeded(2).NewKey();
    private static readonly PrivateKey Target = Entropy.Seeded(3).NewKey();
    private static readonly PrivateKey Other = Entropy.Seeded(4).NewKey();

    private static AttackRules Rules(AttackKind kind) =>
        new(new Attack { Kind = kind, Fraction = 0.1, RepeatsPerTopic = kind == AttackKind.Chatterbox ? 3 : null, RepeatIntervalSeconds = kind == AttackKind.Chatterbox ? 2 : null },
            Turn, Self.PublicKey, Target.PublicKey);

    private static AskForFavour AskFor(PrivateKey originator)
    {
        var certificate = Authority.Issue(originator.PublicKey, "rider", [], Turn.AddDays(-1), Turn.AddDays(1));
        var topic = TaxiTopic.Create(-33.8647, 151.2096, 7, Turn, Turn.AddMinutes(30), Turn);
        var request = SignedRequestPayload.Sign(new RequestPayload(new PayloadId(Guid.NewGuid()), topic, certificate, Entropy.Seeded(5).NewKey().PublicKey,
            UnixTime.Truncate(Turn), UnixTime.Truncate(Turn.AddMinutes(10))), originator);
        return new AskForFavour(new AskId(Guid.NewGuid()), request);
    }

    private static readonly Reply AnyReply = new(new PayloadId(Guid.NewGuid()), Hash32.Of([1]), 1000, "lnbc", Bytes.Copy([1]), Bytes.Copy([2]));

    private static readonly AttackKind[] Droppers =
        [AttackKind.Silent, AttackKind.Sybil, AttackKind.Eclipse, AttackKind.ColdBoot, AttackKind.Flash, AttackKind.CovertFlash];

    public static TheoryData<AttackKind> AllKinds() => new(Enum.GetValues<AttackKind>());

    public static TheoryData<AttackKind> DroppingKinds() => new(Droppers);

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void Before_the_attack_turns_nothing_is_withheld_and_nothing_repeated(AttackKind kind)
    {
        var rules = Rules(kind);
        Assert.False(rules.Withholds(AskFor(Other), Before));
        Assert.False(rules.Withholds(AskFor(Target), Before));
        Assert.False(rules.Withholds(AnyReply, Before));
        Assert.Equal(0, rules.Repeats(Before).Times);
    }

    [Theory]
    [MemberData(nameof(AllKinds))]
    public void An_attacker_always_sends_its_own_topics(AttackKind kind) =>
        Assert.False(Rules(kind).Withholds(AskFor(Self), Turn));

    [Theory]
    [MemberData(nameof(DroppingKinds))]
    public void Droppers_keep_back_everyone_else_s_topics_and_every_reply(AttackKind kind)
    {
        var rules = Rules(kind);
        Assert.True(rules.Withholds(AskFor(Other), Turn));
        Assert.True(rules.Withholds(AskFor(Target), Turn));
        Assert.True(rules.Withholds(AnyReply, Turn));
        Assert.Equal(0, rules.Repeats(Turn).Times);
    }

    /// <summary>
    /// Announcing (D24), a topic is passed on by the broadcast a granting peer paid for, not by an ask. Before, droppers
    /// kept back only asks, so in announce mode they carried every topic and dropped only replies (found by tracing why
    /// fewer topics got a reply there): they now take the favour and never deliver, censors only the target's.
    /// </summary>
    [Theory]
    [MemberData(nameof(DroppingKinds))]
    public void Announcing_droppers_keep_back_the_broadcasts_of_everyone_else_s_topics(AttackKind kind)
    {
        var rules = Rules(kind);
        Assert.True(rules.Withholds(BroadcastOf(Other), Turn));
        Assert.False(rules.Withholds(BroadcastOf(Self), Turn));
        Assert.False(rules.Withholds(BroadcastOf(Other), Before));
        Assert.True(Rules(AttackKind.Censorship).Withholds(BroadcastOf(Target), Turn));
        Assert.False(Rules(AttackKind.Censorship).Withholds(BroadcastOf(Other), Turn));
        Assert.False(Rules(AttackKind.Chatterbox).Withholds(BroadcastOf(Other), Turn));
    }

    private static Broadcast BroadcastOf(PrivateKey originator) =>
        new(new FavourId(Guid.NewGuid()), AskFor(originator).SignedRequest, new PowProof(1), 3, 0);

    [Fact]
    public void A_censor_keeps_back_only_the_target_s_topics()
    {
        var rules = Rules(AttackKind.Censorship);
        Assert.True(rules.Withholds(AskFor(Target), Turn));
        Assert.False(rules.Withholds(AskFor(Other), Turn));
        Assert.False(rules.Withholds(AnyReply, Turn));
    }

    [Fact]
    public void A_free_rider_carries_no_topic_of_others_but_still_replies()
    {
        var rules = Rules(AttackKind.FreeRider);
        Assert.True(rules.Withholds(AskFor(Other), Turn));
        Assert.False(rules.Withholds(AnyReply, Turn));
    }

    [Fact]
    public void A_chatterbox_withholds_nothing_and_repeats_every_topic_from_its_turn()
    {
        var rules = Rules(AttackKind.Chatterbox);
        Assert.False(rules.Withholds(AskFor(Other), Turn));
        Assert.False(rules.Withholds(AnyReply, Turn));
        Assert.Equal((3, TimeSpan.FromSeconds(2)), rules.Repeats(Turn));
    }

    [Fact]
    public void Frames_other_than_asks_broadcasts_and_replies_always_pass()
    {
        var rules = Rules(AttackKind.Silent);
        Assert.False(rules.Withholds(new ThankYou(new PayloadId(Guid.NewGuid()), Hash32.Of([3])), Turn));
        Assert.False(rules.Withholds(new LightningNodeAnnouncement(Bytes.Copy(new byte[33])), Turn));
    }
}
