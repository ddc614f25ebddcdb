using Akka.Actor;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Core;
using SweetGossip.Node.Peers;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Validation;

namespace SweetGossip.Simulation.Adversaries;

/// <summary>
/// An attacker as its peers meet it: the actor its transport's links report to, which speaks frames with
/// them. Behind it runs the attacker's own node, unmodified and honest (the attacker's rides, its jobs, the
/// favours it grants and the topics it accepts), connected to the network only through this actor: every
/// frame from a peer reaches the node, and every frame the node sends passes a <see cref="LinkTap"/> that
/// withholds what the attack keeps back (<see cref="AttackRules"/>). A chatterbox also asks its peers again
/// for each topic it received, with asks of its own, and answers their conditions itself (proof of work,
/// then the Broadcast), as any peer on the wire could.
/// </summary>
internal sealed class AdversaryPeer : ReceiveActor, IWithTimers
{
    private sealed record Link(PublicKey Peer, IActorRef Tap);

    private sealed record RepeatTopic(PayloadId PayloadId);

    private readonly NodeSettings _settings;
    private readonly AttackRules _rules;
    private readonly TimeProvider _clock;
    private readonly IActorRef _transport;
    private readonly Entropy _entropy;
    private readonly Props _nodeProps;
    private readonly ChatterboxRepeats _chatter = new();
    // The links' real connections, each with the tap the node knows it by.
    private readonly Dictionary<IActorRef, Link> _links = [];
    private IActorRef _node = ActorRefs.Nobody;

    public AdversaryPeer(NodeSettings settings, AttackRules rules, TimeProvider clock, IActorRef transport, IActorRef settlement,
        LightningNodeId lightningNode, FrameScreen screen, PeerScoreBook scores, Entropy entropy)
    {
        (_settings, _rules, _clock, _transport, _entropy) = (settings, rules, clock, transport, entropy);
        // The node believes this actor is its transport.
        _nodeProps = NodeActor.Props(settings, clock, settlement, Self, lightningNode, screen, scores);

        Receive<AttachNode>(_ => { }); // the node attaching to the transport it believes it has
        Receive<object>(_ => Sender.Equals(_node), m => _transport.Forward(m)); // dials: the transport answers the node
        Receive<PeerConnected>(OnPeerConnected);
        Receive<PeerDisconnected>(OnPeerDisconnected);
        Receive<FrameReceived>(OnFrame);
        Receive<RepeatTopic>(OnRepeat);
        // What the simulation asks of the attacker (originate a ride) and the transport's other answers: its node's.
        ReceiveAny(m => _node.Forward(m));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(NodeSettings settings, AttackRules rules, TimeProvider clock, IActorRef transport, IActorRef settlement,
        LightningNodeId lightningNode, FrameScreen screen, PeerScoreBook scores, Entropy entropy) =>
        ActorFactory.Props(() => new AdversaryPeer(settings, rules, clock, transport, settlement, lightningNode, screen, scores, entropy));

    protected override void PreStart()
    {
        _transport.Tell(new AttachNode(Self));
        _node = Context.ActorOf(_nodeProps, "node");
    }

    private void OnPeerConnected(PeerConnected connected)
    {
        var tap = Context.ActorOf(LinkTap.Props(connected.Connection, _rules, _clock));
        _links[connected.Connection] = new Link(connected.Peer, tap);
        _node.Tell(connected with { Connection = tap }, tap);
    }

    private void OnPeerDisconnected(PeerDisconnected disconnected)
    {
        if (!_links.Remove(Sender, out var link)) return;
        _node.Tell(disconnected, link.Tap); // the node drops only the link it knows as current
        Context.Stop(link.Tap);
    }

    private void OnFrame(FrameReceived received)
    {
        var now = _clock.GetUtcNow();
        switch (received.Frame)
        {
            case FavourConditions conditions when _chatter.TryTake(conditions.AskId, now, out var topic):
                // An answer to the chatterbox's own ask: its node never asked. Work is paid; sats are not.
                if (conditions is PowFavourConditions pow) Rebroadcast(Sender, received.Peer, pow, topic, now);
                return;
            case Broadcast broadcast when broadcast.HopsRemaining > 0 && broadcast.PathFeeMsat <= ulong.MaxValue - _settings.RelayFeeMsat:
                var (times, interval) = _rules.Repeats(now);
                if (_chatter.Start(broadcast, received.Peer, times))
                    Timers.StartPeriodicTimer(broadcast.SignedRequest.Payload.PayloadId, new RepeatTopic(broadcast.SignedRequest.Payload.PayloadId), interval);
                break;
        }
        _node.Forward(received);
    }

    /// <summary>Asks every peer but the topic's source for it again, once per peer.</summary>
    private void OnRepeat(RepeatTopic repeat)
    {
        if (_chatter.Next(repeat.PayloadId) is not { } topic)
        {
            Timers.Cancel(repeat.PayloadId);
            return;
        }
        var now = _clock.GetUtcNow();
        var asked = new HashSet<PublicKey> { topic.Source };
        foreach (var (connection, link) in _links)
        {
            if (!asked.Add(link.Peer)) continue;
            var ask = new AskForFavour(new AskId(_entropy.NewId()), topic.Received.SignedRequest);
            if (!_chatter.Asked(ask.AskId, topic.Received, now, now + _settings.FavourValidity)) return;
            connection.Tell(SendFrame.Observed(_settings, _clock, link.Peer, ask));
        }
    }

    /// <summary>Pays a favour granted for a repeat in work and passes the topic on, as a relay would.</summary>
    private void Rebroadcast(IActorRef connection, PublicKey peer, PowFavourConditions conditions, Broadcast topic, DateTimeOffset now)
    {
        if (conditions.Scheme != PowSchemes.Sha256 || conditions.DifficultyBits > _settings.MaxAcceptedDifficultyBits) return;
        var request = topic.SignedRequest;
        var challenge = FavourChallenge.For(conditions, request.PayloadHash, peer).ComputeChallengeHash();
        var solution = PowSolver.Solve(challenge, conditions.DifficultyBits, 0, ulong.MaxValue, CancellationToken.None);
        _settings.Observer.PowSolved(_settings.Identity.PublicKey, solution.HashesTried, now);
        var broadcast = new Broadcast(conditions.FavourId, request, new PowProof(solution.Nonce), topic.HopsRemaining - 1, topic.PathFeeMsat + _settings.RelayFeeMsat);
        connection.Tell(SendFrame.Observed(_settings, _clock, peer, broadcast));
    }
}
