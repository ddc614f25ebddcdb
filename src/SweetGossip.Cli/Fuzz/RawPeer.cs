using System.Net;
using System.Net.Sockets;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Transport;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Cli.Fuzz;

/// <summary>
/// A peer speaking the link protocol on a raw socket: the fuzzer's own code, nothing of the node's. Does the
/// handshake as initiator, then writes whatever its owner builds with the link's cipher (sealed frames, or
/// records it damages), and reads in the background: opening records into frames for an honest role, or only
/// draining them for a fuzz link. <see cref="Closed"/> completes when the connection ends, saying who ended it.
/// </summary>
public sealed class RawPeer : IAsyncDisposable
{
    public const string ClosedByUs = "closed by us";

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly SecureLink _link;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _reading = Task.CompletedTask;
    private int _disposed;

    private RawPeer(Socket socket, SecureLink link)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _link = link;
    }

    public PublicKey RemoteIdentity => _link.RemoteIdentity;

    /// <summary>Completes when the connection ends: "closed by the node", "reset by the node", or <see cref="ClosedByUs"/>.</summary>
    public Task<string> Closed => _closed.Task;

    public bool IsClosed => _closed.Task.IsCompleted;

    /// <summary>
    /// Connects (from <paramref name="source"/> when given) and does the handshake. With <paramref name="onFrame"/>
    /// every frame the node sends is decoded and handed to it, one at a time; without, what arrives is drained unread.
    /// </summary>
    /// <exception cref="LinkRefusedException">The connection was refused, dropped during the handshake, or timed out.</exception>
    public static async Task<RawPeer> ConnectAsync(EndPoint target, PrivateKey identity, PublicKey? expected, IPAddress? source,
        Func<Frame, Task>? onFrame, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        Socket socket;
        try
        {
            socket = await OpenAsync(target, source, deadline.Token);
        }
        catch (SocketException e)
        {
            throw new LinkRefusedException($"could not connect: {e.Message}", e);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new LinkRefusedException($"no connection within {timeout.TotalSeconds:0.#} s");
        }
        try
        {
            var stream = new NetworkStream(socket, ownsSocket: false);
            var handshake = LinkHandshake.Initiator(identity, expected);
            await stream.WriteAsync(handshake.Start(), deadline.Token);
            var buffer = new byte[1024];
            while (true)
            {
                var read = await stream.ReadAsync(buffer, deadline.Token);
                if (read == 0) throw new LinkRefusedException("the node closed the connection during the handshake");
                var step = handshake.Receive(buffer.AsSpan(0, read));
                if (step.ToSend.Length > 0) await stream.WriteAsync(step.ToSend, deadline.Token);
                if (!step.IsComplete) continue;
                var peer = new RawPeer(socket, step.Link);
                peer._reading = Task.Run(() => onFrame is null ? peer.DrainAsync() : peer.ReadAsync(step.TransportBytes, onFrame));
                return peer;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or LinkHandshakeException)
        {
            socket.Dispose();
            if (e is OperationCanceledException && ct.IsCancellationRequested) throw;
            throw new LinkRefusedException(e is OperationCanceledException ? $"no handshake within {timeout.TotalSeconds:0.#} s" : e.Message, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts a handshake and damages one of our acts (a flipped bit, or a cut and a hang-up), then waits for the
    /// node to end the connection. Returns "refused" when it did, "hung" when it did not within <paramref name="timeout"/>
    /// (we close it then), or "cut" when we hung up ourselves.
    /// </summary>
    public static async Task<string> DamagedHandshakeAsync(EndPoint target, PrivateKey identity, IPAddress? source, HandshakeDamage damage,
        TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        Socket socket;
        try
        {
            socket = await OpenAsync(target, source, deadline.Token);
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return "not_connected";
        }
        using var _ = socket;
        var stream = new NetworkStream(socket, ownsSocket: false);
        var handshake = LinkHandshake.Initiator(identity, null);
        try
        {
            var act = handshake.Start();
            if (damage.Act == 1)
                return await DamageAndWaitAsync(stream, act, damage, deadline.Token);
            await stream.WriteAsync(act, deadline.Token);
            var buffer = new byte[1024];
            while (true)
            {
                var read = await stream.ReadAsync(buffer, deadline.Token);
                if (read == 0) return "refused";
                var step = handshake.Receive(buffer.AsSpan(0, read));
                if (step.IsComplete)
                {
                    step.Link.Dispose();
                    return await DamageAndWaitAsync(stream, step.ToSend, damage, deadline.Token);
                }
                if (step.ToSend.Length > 0) await stream.WriteAsync(step.ToSend, deadline.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or LinkHandshakeException)
        {
            return "refused";
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return "hung";
        }
    }

    /// <summary>Builds bytes with the link's cipher and writes them, one writer at a time (sealing order is writing order).</summary>
    /// <exception cref="IOException">The connection is gone.</exception>
    public async Task WriteAsync(Func<SecureLink, byte[]> build, CancellationToken ct)
    {
        if (Volatile.Read(ref _disposed) == 1) throw new IOException("the link is closed");
        // Never disposed: a writer racing DisposeAsync gets the socket's error, not the semaphore's.
        await _writing.WaitAsync(ct);
        try
        {
            var bytes = build(_link);
            if (bytes.Length > 0) await _stream.WriteAsync(bytes, ct);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            throw new IOException($"write failed: {e.Message}", e);
        }
        finally
        {
            _writing.Release();
        }
    }

    public Task SendAsync(Frame frame, CancellationToken ct) => WriteAsync(link => link.Seal(FrameCodec.Encode(frame)), ct);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _closed.TrySetResult(ClosedByUs);
        await _stop.CancelAsync();
        _socket.Dispose();
        await _reading;
        _link.Dispose();
        _stream.Dispose();
        _stop.Dispose();
    }

    private static async Task<Socket> OpenAsync(EndPoint target, IPAddress? source, CancellationToken ct)
    {
        var socket = new Socket(source?.AddressFamily ?? (target is IPEndPoint ip ? ip.AddressFamily : AddressFamily.InterNetwork), SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            if (source is not null) socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(target, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Writes the damaged act and says what the node made of it: "cut" (we hang up after part of it), "incomplete"
    /// (a flipped length bit promises more bytes, so the node rightly waits: we hang up), "refused" (the node ended
    /// the connection), or "act1_accepted"/"act3_accepted" (the node answered: for act1, a flipped bit of the
    /// ephemeral key that is still a valid key is indistinguishable from a real act1; for act3 it would be a bug).
    /// </summary>
    private static async Task<string> DamageAndWaitAsync(NetworkStream stream, byte[] act, HandshakeDamage damage, CancellationToken ct)
    {
        if (damage.Keep is { } keep)
        {
            await stream.WriteAsync(act.AsMemory(0, Math.Min(keep, act.Length)), ct);
            return "cut"; // disposing the socket hangs up
        }
        var bit = (int)(damage.BitFlip % (uint)(act.Length * 8));
        act[bit / 8] ^= (byte)(1 << (bit % 8));
        await stream.WriteAsync(act, ct);
        if (bit < LengthPrefix.HeaderBytes * 8)
        {
            var declared = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(act);
            if (declared > act.Length - LengthPrefix.HeaderBytes && declared <= LinkProtocol.MaxHandshakeMessageBytes) return "incomplete";
        }
        var buffer = new byte[1024];
        return await stream.ReadAsync(buffer, ct) > 0 ? $"act{damage.Act}_accepted" : "refused";
    }

    private async Task DrainAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (await _stream.ReadAsync(buffer, _stop.Token) > 0)
            {
            }
            _closed.TrySetResult("closed by the node");
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            _closed.TrySetResult(_stop.IsCancellationRequested ? ClosedByUs : "reset by the node");
        }
    }

    private async Task ReadAsync(byte[] early, Func<Frame, Task> onFrame)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            await DeliverAsync(_link.Open(early), onFrame);
            int read;
            while ((read = await _stream.ReadAsync(buffer, _stop.Token)) > 0)
                await DeliverAsync(_link.Open(buffer.AsSpan(0, read)), onFrame);
            _closed.TrySetResult("closed by the node");
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            _closed.TrySetResult(_stop.IsCancellationRequested ? ClosedByUs : "reset by the node");
        }
        catch (FrameFormatException e)
        {
            // The node sent something our own decoder refuses: worth reporting, and the link cannot go on.
            _closed.TrySetResult($"the node sent a bad record or frame: {e.Message}");
            _socket.Dispose();
        }
    }

    private static async Task DeliverAsync(IReadOnlyList<byte[]> frames, Func<Frame, Task> onFrame)
    {
        foreach (var frame in frames)
            if (frame.Length > 0) await onFrame(FrameCodec.Decode(frame));
    }
}

/// <summary>A connection or handshake to the target that did not come about.</summary>
public sealed class LinkRefusedException(string message, Exception? inner = null) : Exception(message, inner);
