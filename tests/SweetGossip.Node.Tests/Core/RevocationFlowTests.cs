using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Policies;
using SweetGossip.Node.Tests.Hosting;
using SweetGossip.Node.Tests.Support;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using static SweetGossip.Node.Tests.Core.InProcessNetwork;

namespace SweetGossip.Node.Tests.Core;

/// <summary>
/// Revocations from a node's configuration at work: the first middleman's trusted authorities are read by
/// <see cref="NodeSettingsLoader"/> from HOCON naming the rider's certificate serial (or the authority's signed
/// list revoking it). It refuses the rider's ask, so the topic goes nowhere; configured without it, it carries it.
/// </summary>
public class RevocationFlowTests
{
    private const ulong Price = 25_000 * Sat;
    private const ulong Liquidity = 100_000 * Sat;

    public enum Revocation { None, RevokedSerials, RevocationFile }

    [Theory]
    [InlineData(Revocation.RevokedSerials, "certificate has been revoked by this node's configuration")]
    [InlineData(Revocation.RevocationFile, "certificate has been revoked by its authority")]
    public async Task A_middleman_configured_to_revoke_the_riders_certificate_refuses_its_topic(Revocation revocation, string reason)
    {
        await using var net = new InProcessNetwork();
        using var files = new NodeFilesFixture();
        var observer = new RecordingObserver();
        var riderSerial = CertificateSerial.New();
        var (rider, _) = await LineAsync(net, files, observer, riderSerial, revocation);
        var warnings = Inbox.Create(net.System);
        net.System.EventStream.Subscribe(warnings.Receiver, typeof(Warning));

        Originate(rider);

        var payload = await Eventually.Value(() => Task.FromResult(observer.Originated.FirstOrDefault()), p => p != default);
        // m1 refuses the ask for that payload as invalid, naming the revocation...
        while (await warnings.ReceiveAsync(InProcessNetwork.Timeout) is not Warning w || !(w.Message.ToString()!.Contains($"ask for payload {payload}") && w.Message.ToString()!.Contains(reason)))
        {
        }
        // ...so it grants no favour, nothing is broadcast, and no node accepts the topic.
        Assert.Empty(observer.Accepted);
        Assert.Empty(observer.PowHashes);
    }

    [Fact]
    public async Task The_same_middleman_configured_without_the_revocation_carries_the_topic_and_the_rider_is_served()
    {
        await using var net = new InProcessNetwork();
        using var files = new NodeFilesFixture();
        var observer = new RecordingObserver();
        var (rider, _) = await LineAsync(net, files, observer, CertificateSerial.New(), Revocation.None);
        var inbox = Inbox.Create(net.System);
        rider.Node.Tell(new SubscribeReplies(inbox.Receiver));

        Originate(rider);

        var delivered = (ReplyDelivered)await inbox.ReceiveAsync(InProcessNetwork.Timeout);
        Assert.True(delivered.AckConfirmed);
        Assert.Equal(3, observer.Accepted.Count); // m1, m2 and the driver
    }

    /// <summary>rider — m1 — m2 — driver; the rider's certificate has serial <paramref name="riderSerial"/>; m1 is configured by HOCON.</summary>
    private static async Task<(RunningNode Rider, RunningNode M1)> LineAsync(
        InProcessNetwork net, NodeFilesFixture files, RecordingObserver observer, CertificateSerial riderSerial, Revocation revocation)
    {
        var now = DateTimeOffset.UtcNow;
        var entry = revocation switch
        {
            Revocation.RevokedSerials => $", revoked-serials = [\"{riderSerial}\"]",
            Revocation.RevocationFile => ", revocation-file = \"council.revocations\"",
            _ => "",
        };
        if (revocation == Revocation.RevocationFile)
            files.WriteRevocationList("council.revocations", net.Authority.PublishRevocations([riderSerial], now));
        var m1Trusted = NodeSettingsLoader.Load(
            ConfigurationFactory.ParseString(files.ConfigTrusting(net.Authority, entry)).WithFallback(NodeConfig.Reference), files.Directory).Node.Trusted;

        NodeSettings Observed(NodeSettings s) => s with { Observer = observer };
        var driver = net.Start("driver", 0, new TaxiDriverPolicy("r3gx", Price, "Prius, 6 min away"), tweak: Observed);
        var m2 = net.Start("m2", Liquidity, peers: ["driver"], tweak: Observed);
        var m1 = net.Start("m1", Liquidity, peers: ["m2"], tweak: s => Observed(s) with { Trusted = m1Trusted });
        var rider = net.Start("rider", 1_000_000 * Sat, peers: ["m1"], tweak: s => Observed(s) with
        {
            Certificate = net.Authority.Issue(s.CertificateKey.PublicKey, "rider", [], now.AddDays(-1), now.AddDays(30), riderSerial),
        });
        foreach (var (node, peers) in new[] { (rider, 1), (m1, 2), (m2, 2), (driver, 1) })
            await Eventually.Value(() => node.Node.Ask<NodeStatus>(GetNodeStatus.Instance, InProcessNetwork.Timeout), s => s.Peers >= peers);
        return (rider, m1);
    }

    private static void Originate(RunningNode rider)
    {
        var now = DateTimeOffset.UtcNow;
        rider.Node.Tell(new OriginateTopic(TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now), TimeSpan.FromMinutes(20)));
    }
}
