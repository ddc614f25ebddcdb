using SweetGossip.Node.Topics;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Tests.Topics;

/// <summary>The guardian's note of which topics hold which peer's link: told once when it closes, forgotten when they end.</summary>
public class LinkHoldersTests
{
    [Fact]
    public void The_topics_handed_a_peers_link_are_told_once_and_a_topic_that_ended_is_not()
    {
        var holders = new LinkHolders();
        var (peer, other) = (PrivateKey.Generate().PublicKey, PrivateKey.Generate().PublicKey);
        var (running, ended) = (PayloadId.New(), PayloadId.New());
        holders.Handed(peer, running);
        holders.Handed(peer, ended);
        holders.Handed(other, ended);
        holders.Ended(ended);

        Assert.Equal([running], holders.Take(peer));
        Assert.Empty(holders.Take(peer));
        // Nothing is left for a peer whose topics all ended: the map holds only links some topic still holds.
        Assert.Equal(0, holders.Count);
    }

    [Fact]
    public void A_peer_chosen_for_a_topic_that_ended_before_asking_it_is_forgotten_with_the_topic()
    {
        // The guardian chose the peer (and handed its link) while the topic was stopping: the topic never learnt of it, so
        // it could not name it when it ended. Before, the entry stayed until the peer's link closed.
        var holders = new LinkHolders();
        var peer = PrivateKey.Generate().PublicKey;
        var ended = PayloadId.New();
        holders.Handed(peer, ended);
        holders.Ended(ended);

        Assert.Equal(0, holders.Count);
        Assert.Empty(holders.Take(peer));
    }

    [Fact]
    public void Links_are_noted_again_after_every_topic_let_go_of_them()
    {
        // The table is let go when it empties (memory per simulated peer) and made again on the next hand-over.
        var holders = new LinkHolders();
        var (peer, other) = (PrivateKey.Generate().PublicKey, PrivateKey.Generate().PublicKey);
        var (first, second, third) = (PayloadId.New(), PayloadId.New(), PayloadId.New());
        holders.Handed(peer, first);
        Assert.Equal([first], holders.Take(peer));
        holders.Ended(first);
        holders.Handed(peer, second);
        holders.Handed(other, second);
        holders.Ended(second);
        holders.Handed(other, third);

        Assert.Equal(1, holders.Count);
        Assert.Empty(holders.Take(peer));
        Assert.Equal([third], holders.Take(other));
        Assert.Equal(0, holders.Count);
    }
}
