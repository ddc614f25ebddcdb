using System.Net;
using System.Net.Sockets;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Transport;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Node.Tests.Transport;

/// <summary>A peer written by hand on a raw socket: it can do the handshake right, then anything it likes.</summary>
public sealed class RawPeer : IAsyncDisposable
{
    private readonly TcpClient _client = new(AddressFamily.InterNetwork); // IPv4 only, so the address reads as the listener logs it
    private NetworkStream _stream = null!;

    public PrivateKey Key { get; private init; } = PrivateKey.Generate();

    public SecureLink? Link { get; private set; }

    /// <summary>Our end's address, as the listener logs it.</summary>
    public string LocalAddress => _client.Client.LocalEndPoint!.ToString()!;

    /// <param name="receiveBuffer">A small socket receive buffer makes a peer that does not read fill up fast.</param>
    /// <param name="from">
    /// The local IP to connect from: any of 127.0.0.0/8 works on Linux loopback, so a test can be several
    /// remote IPs at once (the listener's per-IP caps). Default: the system's choice (127.0.0.1).
    /// </param>
    /// <param name="key">The identity to prove in the handshake (a peer coming back); default: a fresh key.</param>
    public static async Task<RawPeer> ConnectAsync(string address, int? receiveBuffer = null, string? from = null, PrivateKey? key = null)
    {
        var peer = key is null ? new RawPeer() : new RawPeer { Key = key };
        if (receiveBuffer is { } size) peer._client.ReceiveBufferSize = size;
        if (from is not null) peer._client.Client.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
        var endPoint = IPEndPoint.Parse(address);
        try
        {
            await peer._client.ConnectAsync(endPoint.Address, endPoint.Port);
            peer._stream = peer._client.GetStream();
        }
        catch (SocketException)
        {
            await peer.DisposeAsync();
            throw;
        }
        return peer;
    }

    public Task SendAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    /// <summary>Runs the initiator's side of the handshake to completion.</summary>
    public async Task HandshakeAsync(PublicKey responder)
    {
        var handshake = LinkHandshake.Initiator(Key, responder);
        await SendAsync(handshake.Start());
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(TcpTestKit.Timeout);
        while (true)
        {
            var read = await _stream.ReadAsync(buffer, deadline.Token);
            if (read == 0) throw new IOException("closed during the handshake");
            var step = handshake.Receive(buffer.AsSpan(0, read));
            if (step.ToSend.Length > 0) await SendAsync(step.ToSend);
            if (step.IsComplete)
            {
                Link = step.Link;
                return;
            }
        }
    }

    private readonly Queue<byte[]> _received = new();

    /// <summary>Reads and opens records until one arrives; returns its frame (empty for a keepalive). Frames read together are kept, in order.</summary>
    public async Task<byte[]> ReceiveFrameAsync()
    {
        if (_received.TryDequeue(out var queued)) return queued;
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(TcpTestKit.Timeout);
        while (true)
        {
            var read = await _stream.ReadAsync(buffer, deadline.Token);
            if (read == 0) throw new IOException("closed before a record arrived");
            foreach (var frame in Link!.Open(buffer.AsSpan(0, read))) _received.Enqueue(frame);
            if (_received.TryDequeue(out var first)) return first;
        }
    }

    /// <summary>The next frame of type <typeparamref name="T"/>, skipping keepalives and other frames.</summary>
    public async Task<T> ReceiveAsync<T>() where T : Frame
    {
        while (true)
        {
            var bytes = await ReceiveFrameAsync();
            if (bytes.Length > 0 && FrameCodec.Decode(bytes) is T frame) return frame;
        }
    }

    /// <summary>Seals and sends one frame over the link.</summary>
    public Task SendFrameAsync(Frame frame) => SendAsync(Link!.Seal(FrameCodec.Encode(frame)));

    /// <summary>Completes once the other side has closed (end of stream or reset), reading and discarding meanwhile.</summary>
    public async Task ClosedByPeerAsync()
    {
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(TcpTestKit.Timeout);
        try
        {
            while (await _stream.ReadAsync(buffer, deadline.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // A reset (the listener aborts bad peers) is a close too.
        }
    }

    /// <summary>
    /// Whether the other side has closed (end of stream or reset) by now, without waiting and without
    /// consuming data: readable with nothing to read means closed.
    /// </summary>
    public bool IsClosedByPeer
    {
        get
        {
            try
            {
                return _client.Client.Poll(0, SelectMode.SelectRead) && _client.Client.Available == 0;
            }
            catch (SocketException)
            {
                return true;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Link?.Dispose();
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
