using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using SweetGossip.Cluster.Hosting;

namespace SweetGossip.Cluster.Books;

/// <summary>
/// Persistent books (a member's settlement ledger) as sharded entities on the hub's shared journal, one shard per book.
/// Remember-entities, so a book whose member died is started again on a surviving member at once (not on its next
/// message) and recovers from the shared journal what was open; sharding keeps one live entity per book, so one writer
/// per persistence id (the split-brain resolver downs the minority side of a partition before its shards move).
/// </summary>
public static class BookShard
{
    public const string TypeName = "settlement-books";

    /// <summary>
    /// Coordinator state and remembered entities in the journal (event-sourced), not in distributed data: the journal
    /// is shared and durable, while durable distributed data needs LightningDB, which fails at run time here.
    /// </summary>
    private const string Overrides = """
        state-store-mode = persistence
        remember-entities = on
        remember-entities-store = eventsourced
        passivate-idle-entity-after = off
        """;

    /// <summary>
    /// Starts this member's region (once per ActorSystem). <paramref name="bookProps"/> makes a book's actor from its id on
    /// whichever member hosts it; <paramref name="handOffStop"/> stops it on hand-off (graceful leave).
    /// </summary>
    public static IActorRef Start(ActorSystem system, Func<string, Props> bookProps, object handOffStop)
    {
        var sharding = system.Settings.Config.GetConfig("akka.cluster.sharding");
        var settings = ClusterShardingSettings.Create(
                ConfigurationFactory.ParseString(Overrides).WithFallback(sharding),
                system.Settings.Config.GetConfig(sharding.GetString("coordinator-singleton")))
            .WithRole(AkkaClusterConfig.MemberRole);
        return ClusterSharding.Get(system).Start(TypeName, bookProps, settings, new BookExtractor(), new BookAllocation(), handOffStop);
    }

    /// <summary>Forwards everything sent to it to book <paramref name="bookId"/> through <paramref name="region"/>, the sender kept.</summary>
    public static Props Forwarder(IActorRef region, string bookId) =>
        Props.Create(() => new BookForwarder(region, BookId.Check(bookId)));
}
