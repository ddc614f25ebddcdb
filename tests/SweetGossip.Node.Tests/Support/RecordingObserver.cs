using System.Collections.Concurrent;
using SweetGossip.Node.Observation;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Tests.Support;

/// <summary>Keeps every report, for tests to count.</summary>
public sealed class RecordingObserver : INodeObserver
{
    public ConcurrentQueue<(PublicKey Node, PayloadId Payload, int HopsRemaining)> Accepted { get; } = new();
    public ConcurrentQueue<(PublicKey Node, PaymentSide Side, ulong Msat)> Payments { get; } = new();
    public ConcurrentQueue<(PublicKey Node, string Frame, int Bytes)> Frames { get; } = new();
    public ConcurrentQueue<long> PowHashes { get; } = new();
    public ConcurrentQueue<PayloadId> Originated { get; } = new();
    public ConcurrentQueue<(PayloadId Payload, bool Ack)> Delivered { get; } = new();

    public void TopicAccepted(PublicKey node, PayloadId payload, PublicKey from, int hopsRemaining, DateTimeOffset at) => Accepted.Enqueue((node, payload, hopsRemaining));
    public void TopicOriginated(PublicKey node, PayloadId payload, DateTimeOffset at) => Originated.Enqueue(payload);
    public void FrameSent(PublicKey node, PublicKey to, string frame, int bytes, DateTimeOffset at) => Frames.Enqueue((node, frame, bytes));
    public void PowSolved(PublicKey node, long hashes, DateTimeOffset at) => PowHashes.Enqueue(hashes);
    public void Payment(PublicKey node, PaymentSide side, ulong msat, DateTimeOffset at) => Payments.Enqueue((node, side, msat));
    public void ReplyDelivered(PublicKey node, PayloadId payload, PublicKey replier, bool ackConfirmed, DateTimeOffset at) => Delivered.Enqueue((payload, ackConfirmed));
}
