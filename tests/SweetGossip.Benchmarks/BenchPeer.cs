using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Validation;
using SweetGossip.Protocol.Transport;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Benchmarks;

/// <summary>
/// A peer written by hand on a raw socket, so that the relay, not its peers, is what is measured: it does the
/// link handshake, then listens (keeping the signed requests of the asks it is sent), writes records it sealed
/// beforehand as fast as the socket takes them, and in the relay scenario plays an originator (answers the
/// relay's proof-of-work conditions with a broadcast) or a sink (grants every ask a free favour and counts the
/// broadcasts that redeem them).
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

    /// <summary>Called on the reading thread for each ask received while not a sink (latency probes).</summary>
    public Action<AskId>? Asked { get; set; }

    /// <summary>Originator: the relay's identity (its PoW challenges name it) and the requests asked about, by ask id.</summary>
    private PublicKey? _relay;
    private readonly ConcurrentDictionary<AskId, SignedRequestPayload> _asked = new();

    /// <summary>Sink: grants favours for free and counts the broadcasts redeeming them.</summary>
    private bool _sink;
    private int _broadcasts;
    // The broadcast count awaited and its completion, swapped as one object so the reader never sees half of it.
    private sealed record BroadcastWait(int Target, TaskCompletionSource Done);
    private BroadcastWait _broadcastWait = new(int.MaxValue, new TaskCompletionSource());

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

    /// <summary>
    /// Originator: seals one ask per request (remembered by ask id), and from now on answers each proof-of-work
    /// condition the relay sends with the broadcast that redeems it.
    /// </summary>
    public byte[] OriginateAsks(IReadOnlyList<SignedRequestPayload> requests, PublicKey relay)
    {
        _relay = relay;
        using var records = new MemoryStream();
        foreach (var request in requests)
        {
            var ask = new AskForFavour(AskId.New(), request);
            _asked[ask.AskId] = request;
            records.Write(_link.Seal(FrameCodec.Encode(ask)));
        }
        return records.ToArray();
    }

    /// <summary>Sink: grants every ask from now on, and completes once <paramref name="count"/> broadcasts redeemed them.</summary>
    public Task SinkAsync(int count)
    {
        _sink = true;
        // Counted from the broadcasts already received: a warm-up batch, then the measured one.
        var wait = new BroadcastWait(Volatile.Read(ref _broadcasts) + count, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        Volatile.Write(ref _broadcastWait, wait);
        if (Volatile.Read(ref _broadcasts) >= wait.Target) wait.Done.TrySetResult();
        return wait.Done.Task;
    }

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
        List<byte[]>? answers = null;
        foreach (var frame in frames)
        {
            if (frame.Length == 0) continue;
            if (_sink && PayloadIdPeek.TryRead(frame, out _, out var isAsk) && !isAsk)
            {
                var received = Interlocked.Increment(ref _broadcasts);
                var wait = Volatile.Read(ref _broadcastWait);
                if (received >= wait.Target) wait.Done.TrySetResult();
                continue;
            }
            if (_sink && SinkAskId(frame) is { } askId)
            {
                // Free: difficulty 0, so the relay's proof costs one hash and the relay's own work is what is measured.
                (answers ??= []).Add(FrameCodec.Encode(new PowFavourConditions(askId, FavourId.New(), UnixTime.Truncate(DateTimeOffset.UtcNow.AddMinutes(10)), PowSchemes.Sha256, 0)));
                continue;
            }
            switch (FrameCodec.Decode(frame))
            {
                case AskForFavour ask:
                    AskedAbout.TryAdd(ask.SignedRequest.Payload.PayloadId, ask.SignedRequest);
                    Asked?.Invoke(ask.AskId);
                    break;
                case PowFavourConditions conditions when _relay is { } relay && _asked.TryRemove(conditions.AskId, out var request):
                    var challenge = FavourChallenge.For(conditions, request.PayloadHash, relay);
                    var nonce = PowSolver.Solve(challenge.ComputeChallengeHash(), conditions.DifficultyBits, 0, ulong.MaxValue, CancellationToken.None).Nonce;
                    (answers ??= []).Add(FrameCodec.Encode(new Broadcast(conditions.FavourId, request, new PowProof(nonce), 8, 0)));
                    break;
            }
        }
        if (answers is null) return;
        using var records = new MemoryStream();
        foreach (var answer in answers) records.Write(_link.Seal(answer));
        _stream.Write(records.ToArray());
    }

    /// <summary>
    /// The sink needs only an ask's id: read from the envelope, not through the domain decoder, so that what the sink
    /// costs stays the same whatever the decoder remembers (the relay shares this process and its decoder).
    /// </summary>
    private static AskId? SinkAskId(byte[] frame)
    {
        var envelope = SweetGossip.Protocol.Wire.Proto.Envelope.Parser.ParseFrom(frame);
        return envelope.FrameCase == SweetGossip.Protocol.Wire.Proto.Envelope.FrameOneofCase.AskForFavour
            ? new AskId(ProtoFields.Id(envelope.AskForFavour.AskId, "AskForFavour", "ask_id"))
            : null;
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
