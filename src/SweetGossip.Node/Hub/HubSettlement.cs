using Akka.Actor;
using Akka.Configuration;
using SweetGossip.Cluster.Books;
using SweetGossip.Cluster.Hosting;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Settlement;

namespace SweetGossip.Node.Hub;

/// <summary>
/// Settlement on a hub member whose journal is shared by the whole hub (PostgreSQL): each member's ledger is a book,
/// a sharded persistent entity (<see cref="BookShard"/>), so when a member dies its book restarts on a survivor,
/// recovers from the shared journal and finishes what was open; a book runs its Lightning calls through the Lightning
/// node of the member hosting it (every member reaches the hub's one Lightning node). The member's node is handed a
/// forwarder to its own book in place of a local settlement actor.
/// </summary>
public sealed class HubSettlement
{
    private HubSettlement(IActorRef region, string bookId) => (Region, BookId) = (region, bookId);

    /// <summary>This member's region of the settlement books (<see cref="Akka.Cluster.Sharding.ShardingEnvelope"/>s to any book).</summary>
    public IActorRef Region { get; }

    /// <summary>This member's own book.</summary>
    public string BookId { get; }

    /// <summary>A book's persistence id: unique per book, never the plain node's <c>settlement-&lt;name&gt;</c>.</summary>
    public static string PersistenceIdOf(string bookId) => "settlement-book-" + Cluster.Books.BookId.Check(bookId);

    /// <summary>
    /// Whether <paramref name="config"/>'s journal is one the members can share: a database server, not a file per
    /// process. Books move between members only over a shared journal; on SQLite each member keeps its own settlement.
    /// </summary>
    public static bool JournalIsShared(Config config) =>
        config.GetString("akka.persistence.journal.sql.provider-name", "").StartsWith("PostgreSQL", StringComparison.OrdinalIgnoreCase)
        && config.GetString("akka.persistence.snapshot-store.sql.provider-name", "").StartsWith("PostgreSQL", StringComparison.OrdinalIgnoreCase);

    /// <summary>Starts this member's book region (once per ActorSystem). The system must carry <see cref="SettlementMessageSerializer.Hocon"/>.</summary>
    /// <param name="onJournaled">Called after each event a book hosted here journals (crash-point tests).</param>
    /// <param name="bookId">This member's book; by default named after its address (host and port), the same on every restart of the same config.</param>
    public static HubSettlement Start(HubMember member, ILightningNode lightning, TimeProvider clock, SettlementSettings settings, Action<SettlementEvent>? onJournaled = null, string? bookId = null)
    {
        var region = BookShard.Start(member.System,
            bookId => SettlementActor.Props(PersistenceIdOf(bookId), lightning, clock, settings, onJournaled),
            PoisonPill.Instance);
        return new HubSettlement(region, bookId is null ? Cluster.Books.BookId.Of(member.Address) : Cluster.Books.BookId.Check(bookId));
    }

    /// <summary>
    /// What the node is given as its settlement: a forwarder to this member's book, a child of the node's guardian. The
    /// book itself is a sharded entity, owned by the shard region and moved between members, so it cannot be the
    /// guardian's child; stopping the node stops the forwarder, not the book (a survivor may be finishing it).
    /// </summary>
    public Props Forwarder() => BookShard.Forwarder(Region, BookId);

    /// <summary>A forwarder to this member's book made by <paramref name="system"/> (a node started without its guardian: tests).</summary>
    public IActorRef Open(IActorRefFactory system, string name) => system.ActorOf(Forwarder(), name + "-settlement");
}
