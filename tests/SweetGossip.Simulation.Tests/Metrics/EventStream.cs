using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Tests.Metrics;

/// <summary>
/// A hand-made run on 6 peers with known answers (worked out in MetricsRecorderTests):
/// topic 0 from node 0 at t=10, interested {1,2,3,4}; topic 1 from node 3 at t=20, everyone interested.
/// </summary>
internal static class EventStream
{
    public const int Peers = 6;

    public static readonly MetricsSettings Settings = new() { CoverageStepSeconds = 0.5, TrafficBucketSeconds = 10 };

    public static List<Action<MetricsRecorder>> Events() =>
    [
        r => r.DescribePeer(4, PeerKind.Driver, honest: true),
        r => r.DescribePeer(5, PeerKind.Rider, honest: false),

        r => r.TopicOriginated(0, 10, 0, [0, 1, 2, 3, 4]),
        r => r.FirstReceived(0, 10.1, 1, 1),
        r => r.FirstReceived(0, 10.2, 2, 1),
        r => r.FirstReceived(0, 10.5, 3, 2),
        r => r.FirstReceived(0, 10.3, 5, 2),
        r => r.DuplicateReceived(0, 11, 2),
        r => r.DuplicateReceived(0, 11, 2),
        r => r.DuplicateReceived(0, 11, 3),
        r => r.DuplicateReceived(0, 11, 0),

        r => r.TopicOriginated(1, 20, 3),
        r => r.FirstReceived(1, 20.5, 0, 1),
        r => r.FirstReceived(1, 21, 1, 2),
        r => r.FirstReceived(1, 20.5, 2, 1),
        r => r.FirstReceived(1, 22, 4, 3),
        r => r.FirstReceived(1, 21, 5, 2),
        r => r.FirstReceived(1, 23, 4, 4), // reported "first" twice: the later is a duplicate

        r => r.FrameSent(10, 0, 1, FrameKind.Broadcast, 100),
        r => r.FrameSent(10.05, 0, 2, FrameKind.AskForFavour, 50),
        r => r.FrameSent(24, 4, 3, FrameKind.Reply, 300),
        r => r.PowSpent(10, 0, 256),
        r => r.PowSpent(20, 3, 1024),

        r => r.ReplyDelivered(1, 25, 3, 4),
        r => r.ReplyDelivered(1, 24, 3, 2),
        r => r.PaymentMade(26, 3, PaymentRole.Originator, 20_010),
        r => r.PaymentReceived(26, 5, PaymentRole.Middleman, 20_010),
        r => r.PaymentMade(26, 5, PaymentRole.Middleman, 20_000),
        r => r.PaymentReceived(26, 4, PaymentRole.Replier, 20_000),
    ];

    public static SimulationResults Run(IEnumerable<Action<MetricsRecorder>> events)
    {
        var recorder = new MetricsRecorder(Peers, Settings);
        foreach (var e in events) e(recorder);
        return recorder.Aggregate();
    }
}
