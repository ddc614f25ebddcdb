using Akka.Actor;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Observation;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Transport;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using SweetGossip.Simulation.Adversaries;
using SweetGossip.Simulation.Runtime;
using SweetGossip.Simulation.Scenario;

namespace SweetGossip.Simulation.Tests.Adversaries;

/// <summary>
/// A few honest nodes and attackers on the simulation's actor system (one thread, virtual time), linked in
/// memory as the simulator links them, paying over one embedded Lightning network; what every node reports
/// is kept in <see cref="Seen"/>.
/// </summary>
internal sealed class SmallWorld : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    private readonly SimulatedActorSystem _sim = SimulatedActorSystem.Create("world", Start, "OFF");
    private readonly EmbeddedLightningNetwork _lightning;
    private readonly InMemoryNetwork _links = new();
    private readonly CertificateAuthority _authority = new("Test Taxi Council", Entropy.Seeded(1).NewKey());
    private readonly TrustedAuthorities _trusted = new();
    private readonly Dictionary<string, PrivateKey> _keys = [];
    private int _next;

    public SmallWorld()
    {
        _lightning = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions { TimeProvider = _sim.Clock, Seed = 3, SignInvoices = false });
        _trusted.Trust(_authority.Name, _authority.PublicKey);
    }

    public Observations Seen { get; } = new();

    public PublicKey KeyOf(string name) => _keys[name].PublicKey;

    private NodeSettings Settings(string name, string[] dial, int fanout)
    {
        var key = Entropy.Seeded(100 + ++_next).NewKey();
        _keys[name] = key;
        return NodeDefaults.Node with
        {
            Identity = key,
            CertificateKey = key,
            Certificate = _authority.Issue(key.PublicKey, "rider", [], Start.AddDays(-1), Start.AddDays(30)),
            Trusted = _trusted,
            ContactAddress = name,
            StaticPeers = dial,
            Fanout = fanout,
            BaseDifficultyBits = 4,
            PowWorkers = 1,
            Observer = Seen,
            Entropy = Entropy.Seeded(200 + _next),
            Seed = 300 + _next,
        };
    }

    /// <summary>An honest node that dials <paramref name="dial"/> (started before it).</summary>
    public RunningNode Honest(string name, params string[] dial) =>
        NodeHost.StartInMemory(_sim.System, name, Settings(name, dial, fanout: 4), _lightning.CreateNode(1_000_000_000), _links, _sim.Clock, SettlementSettings.Default);

    /// <summary>An attacker, misbehaving from the start, whose own node passes topics on to <paramref name="fanout"/> peers.</summary>
    public RunningNode Attacker(string name, Attack attack, string? target, string[] dial, int fanout = 4)
    {
        var settings = Settings(name, dial, fanout);
        var rules = new AttackRules(attack, Start, settings.CertificateKey.PublicKey, target is null ? null : KeyOf(target));
        return AdversaryHost.StartInMemory(_sim.System, name, settings, rules, _lightning.CreateNode(1_000_000_000), _links, _sim.Clock,
            SettlementSettings.Default, Entropy.Seeded(400 + _next));
    }

    /// <summary>Has <paramref name="node"/> originate a ride, and runs until it is sent; returns its payload id.</summary>
    public PayloadId Originate(RunningNode node)
    {
        var now = _sim.Clock.GetUtcNow();
        var topic = TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now);
        var before = Seen.Originated.Count;
        node.Node.Tell(new OriginateTopic(topic, TimeSpan.FromMinutes(20)));
        _sim.RunPending();
        Assert.Equal(before + 1, Seen.Originated.Count);
        return Seen.Originated[^1].Payload;
    }

    /// <summary>Runs virtual time on by <paramref name="time"/>.</summary>
    public void Run(TimeSpan time) => _sim.RunUntil(_sim.Elapsed + time);

    public void Dispose()
    {
        _sim.Abandon();
        _lightning.Dispose();
    }
}

/// <summary>What the world's nodes reported (one thread: no locking).</summary>
internal sealed class Observations : INodeObserver
{
    public List<(PublicKey Node, PayloadId Payload)> Originated { get; } = [];
    public List<(PublicKey Node, PayloadId Payload, PublicKey From)> Accepted { get; } = [];
    public List<(PublicKey Node, PayloadId Payload, PublicKey From)> Duplicates { get; } = [];

    public void TopicOriginated(PublicKey node, PayloadId payload, DateTimeOffset at) => Originated.Add((node, payload));

    public void TopicAccepted(PublicKey node, PayloadId payload, PublicKey from, int hopsRemaining, DateTimeOffset at) => Accepted.Add((node, payload, from));

    public void DuplicateOffered(PublicKey node, PayloadId payload, PublicKey from, DateTimeOffset at) => Duplicates.Add((node, payload, from));

    public bool Got(PublicKey node, PayloadId payload) => Accepted.Any(a => a.Node.Equals(node) && a.Payload == payload);
}
