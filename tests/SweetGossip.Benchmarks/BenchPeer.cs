using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Transport;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Benchmarks;

/// <summary>
/// A peer written by hand on a raw socket for the duplicate-frames scenario: it does the link handshake,
/// then either only listens (keeping the signed requests of the asks it is sent) or writes records it sealed
/// beforehand as fast as the socket takes them, so that the relay, not this peer, is what is measured.
/// </summary>
public sealed class BenchPeer : IAsyncDisposable
{
    private readonly TcpClient _client = new(AddressFamily.InterNetwork);
    private readonly CancellationTokenSource _stop = new();
    private NetworkStream _stream = null!;
    private SecureLink _link = null!;
    private Task _reading = Task.CompletedTask;

    public PrivateKey Key { get; } = PrivateKey.Generate();

    /// <summary>Signed requests of the asks this peer was sent, by payload.</summary>
    public ConcurrentDictionary<PayloadId, SignedRequestPayload> AskedAbout { get; } = new();

    public static async Task<BenchPeer> ConnectAsync(IPEndPoint relay, PublicKey relayIdentity)
    {
        var peer = new BenchPeer();
        await peer._client.ConnectAsync(relay);
        peer._client.NoDelay = true;
        peer._stream = peer._client.GetStream();
        var handshake = LinkHandshake.Initiator(peer.Key, relayIdentity);
        await peer._stream.WriteAsync(handshake.Start());
        var buffer = new byte[4096];
        while (true)
        {
            var read = await peer._stream.ReadAsync(buffer);
            if (read == 0) throw new IOException("the relay closed the link during the handshake");
            var step = handshake.Receive(buffer.AsSpan(0, read));
            if (step.ToSend.Length > 0) await peer._stream.WriteAsync(step.ToSend);
            if (step.IsComplete)
            {
                peer._link = step.Link;
                peer._reading = Task.Run(() => peer.ReadAsync(step.TransportBytes));
                return peer;
            }
        }
    }

    /// <summary>Seals one AskForFavour per request (fresh ask ids), ready to be written in one go.</summary>
    public byte[] SealAsks(IEnumerable<SignedRequestPayload> requests)
    {
        using var records = new MemoryStream();
        foreach (var request in requests)
            records.Write(_link.Seal(FrameCodec.Encode(new AskForFavour(AskId.New(), request))));
        return records.ToArray();
    }

    public Task WriteAsync(byte[] bytes) => _stream.WriteAsync(bytes, _stop.Token).AsTask();

    private async Task ReadAsync(byte[] early)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            Keep(_link.Open(early));
            while (await _stream.ReadAsync(buffer, _stop.Token) is var read and > 0)
                Keep(_link.Open(buffer.AsSpan(0, read)));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
    }

    private void Keep(IReadOnlyList<byte[]> frames)
    {
        foreach (var frame in frames)
            if (frame.Length > 0 && FrameCodec.Decode(frame) is AskForFavour ask)
                AskedAbout.TryAdd(ask.SignedRequest.Payload.PayloadId, ask.SignedRequest);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _client.Dispose();
        await _reading;
        _link?.Dispose();
        _stop.Dispose();
    }
}
