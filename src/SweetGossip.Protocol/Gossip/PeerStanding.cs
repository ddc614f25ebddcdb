using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Gossip;

/// <summary>
/// A live link's place in the <see cref="PeerScoreBook"/>. Its connection records what it judges through it and checks it
/// before each frame without taking the book's lock. From admission until <see cref="Release"/> the book does not forget
/// the peer, so what the node's guardian records by key lands on this same entry and is seen at the next frame.
/// </summary>
public sealed class PeerStanding
{
    private readonly PeerScoreBook _book;
    private readonly PeerScoreBook.Entry _entry;
    private int _released;

    internal PeerStanding(PeerScoreBook book, PeerScoreBook.Entry entry, PublicKey peer, AddressPrefix? prefix) =>
        (_book, _entry, Peer, Prefix) = (book, entry, peer, prefix);

    public PublicKey Peer { get; }

    /// <summary>The link's address prefix; null for links without an address (in-memory).</summary>
    public AddressPrefix? Prefix { get; }

    /// <summary>Banned (judged below the threshold, on this link or by the node's guardian): nothing more from this link counts.</summary>
    public bool IsBanned(DateTimeOffset now) => _entry.IsBanned(now);

    public PeerJudgement Record(PeerBehaviour behaviour, DateTimeOffset now) => _book.Record(Peer, _entry, behaviour, now);

    public double Score(DateTimeOffset now) => _book.ScoreOf(_entry, now);

    /// <summary>The link ended (once; later calls do nothing).</summary>
    public void Release(DateTimeOffset now)
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) _book.Release(Peer, _entry, now);
    }
}
