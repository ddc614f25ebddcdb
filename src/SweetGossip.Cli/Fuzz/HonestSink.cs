using System.Collections.Concurrent;
using System.Net;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cli.Fuzz;

/// <summary>
/// The honest peer downstream of the target: grants every favour the target asks of it for free (difficulty 0,
/// so the target's proof is one hash) and notes when each honest topic's broadcast first arrives. What it
/// counts is what got through the target while the fuzzer was at it.
/// </summary>
public sealed class HonestSink(EndPoint target, PublicKey? expected, PrivateKey key, TimeSpan timeout, IReadOnlySet<PayloadId> honest)
    : HonestPeer("sink", target, expected, key, timeout)
{
    private readonly ConcurrentDictionary<PayloadId, TaskCompletionSource<DateTimeOffset>> _arrivals = new();

    /// <summary>Completes with the arrival time of <paramref name="payload"/>'s broadcast (honest topics only).</summary>
    public Task<DateTimeOffset> ArrivalOf(PayloadId payload) => Arrival(payload).Task;

    public int Delivered => _arrivals.Values.Count(a => a.Task.IsCompleted);

    protected override Task OnFrameAsync(Frame frame)
    {
        switch (frame)
        {
            case AskForFavour ask:
                return SendAsync(new PowFavourConditions(ask.AskId, new FavourId(Guid.NewGuid()), UnixTime.Truncate(DateTimeOffset.UtcNow.AddMinutes(10)), PowSchemes.Sha256, 0));
            case Broadcast broadcast when honest.Contains(broadcast.SignedRequest.Payload.PayloadId):
                Arrival(broadcast.SignedRequest.Payload.PayloadId).TrySetResult(DateTimeOffset.UtcNow);
                break;
        }
        return Task.CompletedTask;
    }

    private TaskCompletionSource<DateTimeOffset> Arrival(PayloadId payload) =>
        _arrivals.GetOrAdd(payload, _ => new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously));
}
