using SweetGossip.Node.Core;
using System.Net;
using Akka.Actor;
using Akka.Event;
using Akka.IO;
using AkkaTcp = Akka.IO.Tcp;
using SweetGossip.Node.Observation;
using SweetGossip.Node.Peers;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Transport;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Node.Transport.Tcp;

/// <summary>
/// One TCP connection to one peer, speaking the link protocol: handshake, then encrypted records, each
/// carrying one frame (an empty record is a keepalive). States:
/// <c>Dialling</c> (outbound only) → <c>Handshaking</c> (under a deadline) → <c>AwaitingConnection</c>
/// (identity proven, reading paused until the transport attaches the PeerConnection) → <c>Linked</c> → <c>Closing</c> →
/// <c>Closed</c> (the TCP connection is gone; the actor stays until its PeerConnection stops, handing back any frame that
/// still comes as <see cref="LinkFrameNotSent"/>, so a frame sent towards a closing link is never silently lost).
/// Anything the peer sends that the protocol refuses closes the connection, logged with the peer's address
/// (and identity once known). Tells its parent <see cref="LinkEnded"/> as the TCP connection ends.
/// Memory a peer can make it hold is bounded: a started record's buffer grows only with what arrived and the
/// record must be complete within <see cref="TcpTransportSettings.RecordDeadline"/>; the idle timer is reset
/// only by complete records; the outbox is bounded in records and bytes.
/// </summary>
public sealed class TcpLink : ReceiveActor, IWithTimers
{
    private sealed record HandshakeDeadline
    {
        public static readonly HandshakeDeadline Instance = new();
    }

    private sealed record KeepaliveTick
    {
        public static readonly KeepaliveTick Instance = new();
    }

    private sealed record IdleTimeout
    {
        public static readonly IdleTimeout Instance = new();
    }

    private sealed record RecordDeadline
    {
        public static readonly RecordDeadline Instance = new();
    }

    private sealed record CloseDeadline
    {
        public static readonly CloseDeadline Instance = new();
    }

    /// <summary>The TCP connection took our last write: the next may go.</summary>
    private sealed class WriteAck : AkkaTcp.Event
    {
        public static readonly WriteAck Instance = new();
    }

    // One write at most this big (many queued records are batched); a single record may exceed it.
    private const int MaxBatchBytes = 64 * 1024;

    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    private readonly TcpTransportSettings _settings;
    private readonly LinkHandshake _handshake;
    private readonly Outbox _outbox;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly PeerAddress? _dial;
    private readonly List<byte[]> _early = [];
    private IActorRef _tcp = ActorRefs.Nobody;
    private string _who;
    private SecureLink? _secure;
    private IActorRef? _connection;
    private bool _writing;
    private bool _sentSinceTick;
    private string _endReason = "link stopped";
    private bool _endTold;
    private bool _connectionStopped;

    /// <summary>Use <see cref="Inbound"/> or <see cref="Outbound"/>; public only so Props can create it.</summary>
    public TcpLink(TcpTransportSettings settings, LinkHandshake handshake, string who, PeerAddress? dial, IActorRef tcp)
    {
        (_settings, _handshake, _who, _dial, _tcp) = (settings, handshake, who, dial, tcp);
        _outbox = new Outbox(settings.OutboxLimit, settings.OutboxMaxBytes);
        if (dial is null) Become(Handshaking);
        else Become(Dialling);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>A connection a peer opened to our listener; we answer its handshake.</summary>
    public static Props Inbound(IActorRef tcpConnection, EndPoint remote, PrivateKey identity, TcpTransportSettings settings) =>
        ActorFactory.Props(() => new TcpLink(settings, LinkHandshake.Responder(identity), remote.ToString() ?? "?", null, tcpConnection));

    /// <summary>A connection we open to <paramref name="address"/>; we start the handshake.</summary>
    public static Props Outbound(PeerAddress address, PrivateKey identity, TcpTransportSettings settings) =>
        ActorFactory.Props(() => new TcpLink(settings, LinkHandshake.Initiator(identity, address.ExpectedIdentity, null), address.Text, address, ActorRefs.Nobody));

    protected override void PreStart()
    {
        if (_dial is not null)
        {
            Context.System.Tcp().Tell(new AkkaTcp.Connect(_dial.EndPoint, timeout: _settings.ConnectTimeout));
            return;
        }
        _tcp.Tell(new AkkaTcp.Register(Self));
        StartHandshake();
    }

    protected override void PostStop()
    {
        _secure?.Dispose();
        TellEnded();
    }

    private void TellEnded()
    {
        if (_endTold) return;
        _endTold = true;
        Context.Parent.Tell(new LinkEnded(_endReason));
    }

    // ------------------------------------------------------------------ states

    private void Dialling()
    {
        Receive<AkkaTcp.Connected>(_ =>
        {
            _tcp = Sender;
            _tcp.Tell(new AkkaTcp.Register(Self));
            Become(Handshaking);
            StartHandshake();
        });
        Receive<AkkaTcp.CommandFailed>(failed => End($"could not connect: {CauseOf(failed, "connection refused or timed out")}"));
    }

    private void Handshaking()
    {
        Receive<AkkaTcp.Received>(received => OnHandshakeBytes(received.Data.ToReadOnlySpan()));
        Receive<HandshakeDeadline>(_ =>
        {
            NodeMetrics.HandshakeRefused(HandshakeRefusal.Timeout);
            Drop($"handshake not completed within {_settings.HandshakeTimeout.TotalSeconds:0.#} s");
        });
        ReceiveBufferQuery();
        Receive<WriteAck>(_ => OnWriteAck());
        Receive<AkkaTcp.ConnectionClosed>(closed => End($"{Describe(closed)} before the handshake completed"));
        Receive<AkkaTcp.CommandFailed>(failed => Drop($"write failed during the handshake: {CauseOf(failed, "no cause given")}"));
    }

    private void AwaitingConnection()
    {
        // Bytes read before the pause took effect: open them now, deliver them on attach.
        Receive<AkkaTcp.Received>(received => OpenRecords(received.Data.ToReadOnlySpan(), _early.Add));
        ReceiveBufferQuery();
        Receive<AttachConnection>(attach =>
        {
            _connection = attach.Connection;
            Context.Watch(_connection); // a link without its connection would be a zombie
            foreach (var frame in _early) _connection.Tell(new LinkFrameIn(frame));
            _early.Clear();
            _tcp.Tell(AkkaTcp.ResumeReading.Instance);
            Timers.StartPeriodicTimer("keepalive", KeepaliveTick.Instance, _settings.KeepaliveInterval);
            Timers.StartSingleTimer("idle", IdleTimeout.Instance, _settings.IdleTimeout);
            WatchRecordDeadline(restart: true); // the early bytes may have begun one
            Become(Linked);
        });
        ReceiveSending();
        Receive<AkkaTcp.ConnectionClosed>(closed => End(Describe(closed)));
        Receive<AkkaTcp.CommandFailed>(failed => Drop($"write failed: {CauseOf(failed, "no cause given")}"));
    }

    private void Linked()
    {
        Receive<AkkaTcp.Received>(received =>
        {
            // One message per read, however many frames it held: a busy link costs its connection one mailbox hop per read.
            var frames = new List<byte[]>();
            // The read's bytes are opened where they are (Akka.IO hands each read its own buffer): no copy per read.
            var records = OpenRecords(received.Data.ToReadOnlySpan(), frames.Add);
            if (records < 0) return; // dropped
            if (records > 0)
            {
                // Only a whole record (a keepalive at least) shows the peer alive; a trickle of bytes does not.
                Timers.StartSingleTimer("idle", IdleTimeout.Instance, _settings.IdleTimeout);
            }
            WatchRecordDeadline(restart: records > 0); // what is pending after a complete record began in this read
            if (frames.Count == 1) _connection!.Tell(new LinkFrameIn(frames[0]));
            else if (frames.Count > 1) _connection!.Tell(new LinkFramesIn(frames));
        });
        Receive<RecordDeadline>(_ => Drop(
            $"record not completed within {_settings.RecordDeadline.TotalSeconds:0.#} s ({_secure!.PendingBytes} bytes of it arrived)"));
        ReceiveBufferQuery();
        Receive<KeepaliveTick>(_ =>
        {
            if (!_sentSinceTick) Send(_secure!.Seal([]));
            _sentSinceTick = false;
        });
        Receive<IdleTimeout>(_ => Drop($"no complete record received for {_settings.IdleTimeout.TotalSeconds:0.#} s"));
        Receive<Terminated>(t => t.ActorRef.Equals(_connection), _ =>
        {
            _connectionStopped = true;
            CloseGracefully("its peer connection stopped", byConnection: true);
        });
        ReceiveSending();
        Receive<AkkaTcp.ConnectionClosed>(closed => End(Describe(closed)));
        Receive<AkkaTcp.CommandFailed>(failed => Drop($"write failed: {CauseOf(failed, "no cause given")}"));
    }

    private void Closing()
    {
        Receive<AkkaTcp.ConnectionClosed>(_ => Linger());
        Receive<CloseDeadline>(_ => Linger());
        ReceiveNotSent();
        ReceiveAny(_ => { });
    }

    /// <summary>The TCP connection is gone; the connection may still send: what it sends goes back to it.</summary>
    private void Closed()
    {
        ReceiveNotSent();
        ReceiveAny(_ => { });
    }

    private void ReceiveNotSent()
    {
        Receive<LinkFrameOut>(frame => _connection?.Tell(new LinkFrameNotSent(frame.Bytes)));
        Receive<Terminated>(t => t.ActorRef.Equals(_connection), _ =>
        {
            _connectionStopped = true;
            if (_endTold) Context.Stop(Self);
        });
    }

    /// <summary>
    /// The TCP connection ended: the transport hears it now; the actor stays until its PeerConnection stops (it watches
    /// it), since frames the connection sent before it heard <see cref="LinkClosed"/> are still on their way here.
    /// </summary>
    private void Linger()
    {
        TellEnded();
        if (_connection is null || _connectionStopped)
        {
            Context.Stop(Self);
            return;
        }
        Timers.CancelAll();
        Become(Closed);
    }

    // ------------------------------------------------------------------ handshake

    private void StartHandshake()
    {
        Timers.StartSingleTimer("handshake", HandshakeDeadline.Instance, _settings.HandshakeTimeout);
        var first = _handshake.Start();
        if (first.Length > 0) Send(first);
    }

    private void OnHandshakeBytes(ReadOnlySpan<byte> bytes)
    {
        HandshakeStep step;
        try
        {
            step = _handshake.Receive(bytes);
        }
        catch (LinkHandshakeException e)
        {
            NodeMetrics.HandshakeRefused(HandshakeRefusal.Invalid);
            Drop($"handshake refused: {e.Message}");
            return;
        }
        if (step.ToSend.Length > 0) Send(step.ToSend);
        if (!step.IsComplete) return;

        _secure = step.Link;
        Timers.Cancel("handshake");
        _who = $"{PeerConnection.Short(_secure.RemoteIdentity)}@{_who}";
        _log.Info("link {0}: up ({1})", _who, _dial is null ? "inbound" : "outbound");
        // No reading until the PeerConnection exists: what arrives meanwhile waits in the kernel, not here.
        _tcp.Tell(AkkaTcp.SuspendReading.Instance);
        Context.Parent.Tell(new LinkAuthenticated(_secure.RemoteIdentity));
        Become(AwaitingConnection);
        if (step.TransportBytes.Length > 0) OpenRecords(step.TransportBytes, _early.Add);
    }

    // ------------------------------------------------------------------ records

    /// <summary>
    /// Opens records and hands each non-empty frame on; empty records are keepalives. Returns how many records
    /// were completed (keepalives included), or -1 when a bad one dropped the link.
    /// </summary>
    private int OpenRecords(ReadOnlySpan<byte> bytes, Action<byte[]> deliver)
    {
        IReadOnlyList<byte[]> frames;
        try
        {
            frames = _secure!.Open(bytes);
        }
        catch (FrameFormatException e)
        {
            Drop($"bad record: {e.Message}");
            return -1;
        }
        foreach (var frame in frames)
            if (frame.Length > 0) deliver(frame);
        return frames.Count;
    }

    /// <summary>
    /// Keeps the record deadline running exactly while a record is incomplete: started with a record's first
    /// byte (a record that began after the last one completed gets its own), never extended by more bytes of
    /// the same record, cancelled once no record is under way.
    /// </summary>
    private void WatchRecordDeadline(bool restart)
    {
        if (_secure!.PendingBytes == 0)
            Timers.Cancel("record");
        else if (restart || !Timers.IsTimerActive("record"))
            Timers.StartSingleTimer("record", RecordDeadline.Instance, _settings.RecordDeadline);
    }

    private void ReceiveBufferQuery() =>
        Receive<GetRecordBuffers>(_ => Sender.Tell(new RecordBuffer(_who, _secure?.PendingBytes ?? 0, _secure?.PendingCapacity ?? 0)));

    private void ReceiveSending()
    {
        Receive<LinkFrameOut>(OnFrameOut);
        Receive<WriteAck>(_ => OnWriteAck());
        Receive<CloseLink>(close => CloseGracefully(close.Reason, byConnection: Sender.Equals(_connection)));
    }

    private void CloseGracefully(string reason, bool byConnection)
    {
        _endReason = reason;
        _log.Info("link {0}: closing: {1}", _who, reason);
        // Closed by the transport (a newer link to the peer), the connection learns it now, not when the close completes:
        // what it is sent meanwhile goes back to its node instead of into a link that writes nothing more.
        if (!byConnection) _connection?.Tell(new LinkClosed(reason));
        if (_outbox.Count > 0) _tcp.Tell(AkkaTcp.Write.Create(ByteString.FromBytes(_outbox.TakeBatch(int.MaxValue))));
        _tcp.Tell(AkkaTcp.Close.Instance); // flushes what is written, then FIN
        Timers.StartSingleTimer("close", CloseDeadline.Instance, CloseGrace);
        Become(Closing);
    }

    private void OnFrameOut(LinkFrameOut frame)
    {
        byte[] record;
        try
        {
            record = _secure!.Seal(frame.Bytes);
        }
        catch (FrameFormatException e)
        {
            // Our own frame is too large: a bug on this side, not the peer's fault; the link stays usable.
            _log.Error("link {0}: frame not sent: {1}", _who, e.Message);
            return;
        }
        Send(record);
    }

    /// <summary>Writes now if no write is in flight, else queues (bounded); a full outbox closes the link.</summary>
    private void Send(byte[] bytes)
    {
        _sentSinceTick = true;
        if (!_writing)
        {
            Write(bytes);
            return;
        }
        if (_outbox.TryAdd(bytes)) return;
        Drop(_outbox.Count >= _settings.OutboxLimit
            ? $"outbox full: {_outbox.Count} records waiting while the peer does not read (transport.outbox-limit is {_settings.OutboxLimit})"
            : $"outbox full: {_outbox.Bytes} bytes waiting and {bytes.Length} more to send while the peer does not read (transport.outbox-max-bytes is {_settings.OutboxMaxBytes})");
    }

    private void Write(byte[] bytes)
    {
        _writing = true;
        _tcp.Tell(AkkaTcp.Write.Create(ByteString.FromBytes(bytes), WriteAck.Instance));
    }

    private void OnWriteAck()
    {
        _writing = false;
        if (_outbox.Count > 0) Write(_outbox.TakeBatch(MaxBatchBytes));
    }

    // ------------------------------------------------------------------ ending

    /// <summary>The peer broke the protocol (or stalled): log why, abort the connection, stop.</summary>
    private void Drop(string reason)
    {
        _endReason = reason;
        _log.Warning("link {0}: {1}; closing the connection", _who, reason);
        _connection?.Tell(new LinkClosed(reason));
        _tcp.Tell(AkkaTcp.Abort.Instance);
        Linger();
    }

    /// <summary>The connection ended without fault of ours to report (closed by the peer, refused, reset).</summary>
    private void End(string reason)
    {
        _endReason = reason;
        _log.Info("link {0}: {1}", _who, reason);
        _connection?.Tell(new LinkClosed(reason));
        Linger();
    }

    internal static string CauseOf(AkkaTcp.CommandFailed failed, string otherwise) =>
        failed.Cause.HasValue ? failed.Cause.Value.Message : otherwise;

    private static string Describe(AkkaTcp.ConnectionClosed closed) => closed switch
    {
        AkkaTcp.PeerClosed => "closed by the peer",
        AkkaTcp.ErrorClosed error => $"connection error: {error.Cause}",
        AkkaTcp.Aborted => "connection aborted",
        _ => "connection closed",
    };
}
