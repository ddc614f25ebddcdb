using SweetGossip.Node.Topics;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Tests.Topics;

/// <summary>The reply half of a topic without actors: who may reply, how many, and who is thanked or not.</summary>
public class TopicRepliesTests
{
    private static readonly DateTimeOffset Now = UnixTime.Truncate(DateTimeOffset.UtcNow);
    private readonly PublicKey _source = PrivateKey.Generate().PublicKey;
    private readonly PublicKey _downstream = PrivateKey.Generate().PublicKey;
    private readonly PayloadId _payload = PayloadId.New();

    private (Reply Reply, Hash32 Preimage) NewReply()
    {
        var preimage = Hash32.Random();
        return (new Reply(_payload, preimage.Sha256(), 1_000, "lnbcrt-x", Bytes.Copy(new byte[8]), Bytes.Copy(new byte[8])), preimage);
    }

    private TopicReplies Replies(int max = 3) => new(_source, max, TimeSpan.FromSeconds(30));

    [Fact]
    public void Unsolicited_reply_from_a_peer_this_topic_was_not_broadcast_to_is_refused_and_scored()
    {
        var replies = Replies();
        var stranger = PrivateKey.Generate().PublicKey;
        var verdict = Assert.IsType<ReplyVerdict.Misbehaved>(replies.Admit(stranger, NewReply().Reply, new HashSet<PublicKey> { _downstream }));
        Assert.Equal((stranger, PeerBehaviour.InvalidFrame), (verdict.Peer, verdict.Behaviour));
        Assert.Equal(0, replies.Count);
    }

    [Fact]
    public void Unsolicited_replies_past_the_topics_cap_are_refused_and_the_same_reply_twice_is_a_duplicate()
    {
        var replies = Replies(max: 3);
        var to = new HashSet<PublicKey> { _downstream };
        var first = NewReply().Reply;
        Assert.Null(replies.Admit(_downstream, first, to));
        Assert.Equal(PeerBehaviour.Duplicate, Assert.IsType<ReplyVerdict.Misbehaved>(replies.Admit(_downstream, first, to)).Behaviour);
        Assert.Null(replies.Admit(_downstream, NewReply().Reply, to));
        Assert.Null(replies.Admit(_downstream, NewReply().Reply, to));
        for (var i = 0; i < 1_000; i++)
            Assert.Equal(PeerBehaviour.Duplicate, Assert.IsType<ReplyVerdict.Misbehaved>(replies.Admit(_downstream, NewReply().Reply, to)).Behaviour);
        Assert.Equal(3, replies.Count);
    }

    [Fact]
    public void A_thank_you_with_the_paid_replys_preimage_thanks_its_sender_and_a_missing_one_counts_against_it()
    {
        var replies = Replies();
        var to = new HashSet<PublicKey> { _downstream };
        var (thankful, thankfulPreimage) = NewReply();
        var (silent, _) = NewReply();
        replies.Admit(_downstream, thankful, to);
        replies.Admit(_downstream, silent, to);
        replies.DownstreamPaid(thankful.PaymentHash, Now);
        replies.DownstreamPaid(silent.PaymentHash, Now);

        var thanked = Assert.IsType<ReplyVerdict.Thanked>(replies.OnThankYou(_downstream, new ThankYou(_payload, thankfulPreimage)));
        Assert.Equal(_downstream, thanked.Peer);
        Assert.Null(replies.OnThankYou(_downstream, new ThankYou(_payload, thankfulPreimage))); // counted once
        Assert.Empty(replies.Due(Now.AddSeconds(29)));
        var unthanked = Assert.IsType<ReplyVerdict.Unthanked>(Assert.Single(replies.Due(Now.AddSeconds(30))));
        Assert.Equal(_downstream, unthanked.Peer);
        Assert.Empty(replies.Due(Now.AddHours(1)));
    }

    [Fact]
    public void A_thank_you_with_a_preimage_of_no_reply_the_peer_sent_is_invalid()
    {
        var replies = Replies();
        var (reply, preimage) = NewReply();
        replies.Admit(_downstream, reply, new HashSet<PublicKey> { _downstream });
        Assert.IsType<ReplyVerdict.Misbehaved>(replies.OnThankYou(PrivateKey.Generate().PublicKey, new ThankYou(_payload, preimage)));
        Assert.IsType<ReplyVerdict.Misbehaved>(replies.OnThankYou(_downstream, new ThankYou(_payload, Hash32.FromSpan(new byte[32]))));
    }

    [Fact]
    public void An_unpaid_reply_raises_the_cost_only_of_the_peer_that_asked_for_the_favour_and_once_per_topic()
    {
        var replies = Replies();
        var to = new HashSet<PublicKey> { _downstream };
        var (a, _) = NewReply();
        var (b, _) = NewReply();
        replies.Admit(_downstream, a, to);
        replies.Admit(_downstream, b, to);
        Assert.Null(replies.RelayEnded(a.PaymentHash, upstreamPaid: false)); // b may still be paid
        var unthanked = Assert.IsType<ReplyVerdict.Unthanked>(replies.RelayEnded(b.PaymentHash, upstreamPaid: false));
        Assert.Equal(_source, unthanked.Peer);
        Assert.Null(replies.RelayEnded(b.PaymentHash, upstreamPaid: false));
    }

    [Fact]
    public void Competing_offers_left_unpaid_do_not_count_against_a_source_that_paid_one()
    {
        var replies = Replies();
        var to = new HashSet<PublicKey> { _downstream };
        var (paid, _) = NewReply();
        var (other, _) = NewReply();
        replies.Admit(_downstream, paid, to);
        replies.Admit(_downstream, other, to);
        Assert.Equal(_source, Assert.IsType<ReplyVerdict.Thanked>(replies.RelayEnded(paid.PaymentHash, upstreamPaid: true)).Peer);
        Assert.Null(replies.RelayEnded(other.PaymentHash, upstreamPaid: false));
    }
}
