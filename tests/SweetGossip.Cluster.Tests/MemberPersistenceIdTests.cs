using Akka.Actor;
using SweetGossip.Cluster.Books;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hub;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Cluster.Tests;

/// <summary>
/// Hub members share one identity and, on PostgreSQL, one journal: a persistence id derived from the identity (or from
/// the node's name, "node" on every member) would have several writers, and concurrent writers to one id corrupt its
/// sequence numbers. Each member's ids must be its own; a plain node's stay as they were.
/// </summary>
public class MemberPersistenceIdTests
{
    private static HubRole Member(string host, int port) =>
        new(ActorRefs.Nobody, ActorRefs.Nobody, new Address("akka.tcp", "sgossip", host, port), TimeSpan.FromSeconds(10));

    [Fact]
    public void Members_sharing_an_identity_never_share_a_seen_payloads_journal()
    {
        var identity = PrivateKey.Generate().PublicKey;
        var ids = new[] { Member("10.0.0.1", 4053), Member("10.0.0.2", 4053), Member("10.0.0.1", 4054) }
            .Select(m => NodeActor.SeenJournalId(identity, m)).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.DoesNotContain(NodeActor.SeenJournalId(identity, null), ids);
        Assert.Equal("seen-" + identity.ToHex(), NodeActor.SeenJournalId(identity, null));
    }

    [Fact]
    public void Members_never_share_a_settlement_book_and_no_book_takes_a_plain_nodes_id()
    {
        var books = new[] { new Address("akka.tcp", "sgossip", "10.0.0.1", 4053), new Address("akka.tcp", "sgossip", "10.0.0.2", 4053), new Address("akka.tcp", "sgossip", "10.0.0.1", 4054) }
            .Select(a => HubSettlement.PersistenceIdOf(BookId.Of(a))).ToList();
        Assert.Equal(books.Count, books.Distinct().Count());
        Assert.All(books, id => Assert.NotEqual("settlement-node", id));
        Assert.Equal("settlement-book-10.0.0.1-4053", books[0]);
    }

    [Fact]
    public void A_book_id_that_could_smuggle_a_path_or_an_unbounded_name_is_refused()
    {
        Assert.Throws<ArgumentException>(() => BookId.Check("../etc"));
        Assert.Throws<ArgumentException>(() => BookId.Check("a/b"));
        Assert.Throws<ArgumentException>(() => BookId.Check(""));
        Assert.Throws<ArgumentException>(() => BookId.Check(new string('a', BookId.MaxLength + 1)));
        Assert.Equal("fe80--1-4053", BookId.Of(new Address("akka.tcp", "sgossip", "fe80::1", 4053)));
    }
}
