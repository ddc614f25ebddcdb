using Akka.Actor;
using SweetGossip.Node.Peers;

namespace SweetGossip.Node.Transport;

/// <summary>
/// One end of an in-process link: bytes written here arrive at the other end whole and in order, as
/// they would over an encrypted TCP link. Closing either end closes both.
/// </summary>
public sealed class InMemoryLink : ReceiveActor
{
    public sealed record Pair(IActorRef OtherEnd, IActorRef Connection);

    private sealed record Deliver(byte[] Bytes);

    private sealed record OtherEndClosed(string Reason);

    private IActorRef? _otherEnd;
    private IActorRef? _connection;
    private readonly List<byte[]> _early = [];

    public InMemoryLink()
    {
        Receive<Pair>(p =>
        {
            (_otherEnd, _connection) = (p.OtherEnd, p.Connection);
            foreach (var bytes in _early) _connection.Tell(new LinkFrameIn(bytes));
            _early.Clear();
        });
        Receive<LinkFrameOut>(m => _otherEnd?.Tell(new Deliver(m.Bytes)));
        Receive<Deliver>(d =>
        {
            if (_connection is null) _early.Add(d.Bytes);
            else _connection.Tell(new LinkFrameIn(d.Bytes));
        });
        Receive<CloseLink>(c =>
        {
            _otherEnd?.Tell(new OtherEndClosed(c.Reason));
            Context.Stop(Self);
        });
        Receive<OtherEndClosed>(c =>
        {
            _connection?.Tell(new LinkClosed($"closed by the other end: {c.Reason}"));
            Context.Stop(Self);
        });
    }
}
