using Akka.Actor;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Transport;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Protocol.Gossip;

namespace SweetGossip.Node.Core;

/// <summary>
/// The actors of one node, started together under one <see cref="NodeGuardian"/> (<paramref name="Guardian"/>, the node's
/// one actor under /user, named <paramref name="Name"/>): settlement, transport and the node actor. Stopping the guardian stops the node.
/// </summary>
public sealed record RunningNode(string Name, IActorRef Node, IActorRef Settlement, IActorRef Transport, ILightningNode Lightning, IActorRef Guardian);

/// <summary>A node on TCP: where it listens and the settings it runs with (contact address resolved).</summary>
public sealed record ListeningNode(RunningNode Running, Listening Listening, NodeSettings Settings);

public static class NodeHost
{
    /// <summary>The frame screen a node's connections share, reporting dropped duplicates to the node's observer.</summary>
    public static FrameScreen Screen(NodeSettings settings) => new(settings.Trusted)
    {
        OnDuplicateOffered = (peer, payload, at) => settings.Observer.DuplicateOffered(settings.Identity.PublicKey, payload, peer, at),
        // Announcements carry no payload, so the copies counted in announce mode are the broadcasts (fanout counts its asks).
        OnBroadcastCopyDropped = settings.Dissemination == Dissemination.Announce
            ? (peer, payload, at) => settings.Observer.DuplicateOffered(settings.Identity.PublicKey, payload, peer, at)
            : null,
    };

    /// <summary>A score book for the node, whose judgements its observer hears of (<see cref="Observation.INodeObserver.PeerScored"/>).</summary>
    public static PeerScoreBook ScoreBook(NodeSettings settings)
    {
        var observer = settings.Observer;
        var self = settings.Identity.PublicKey;
        return new PeerScoreBook(settings.Scoring, observer is Observation.NoObserver ? null
            : (peer, behaviour, judgement, at) => observer.PeerScored(self, peer, behaviour, judgement.Score, judgement.Refused, at));
    }

    /// <summary>Starts a node on an in-process network (tests and the simulator).</summary>
    /// <param name="scores">The node's score book, when the caller wants to read it (a simulation's peer events); null: a new one.</param>
    public static RunningNode StartInMemory(IActorRefFactory system, string name, NodeSettings settings, ILightningNode lightning, InMemoryNetwork network, TimeProvider clock,
        SettlementSettings settlementSettings, PeerScoreBook? scores = null)
    {
        var guardian = NodeGuardian.Start(system, name);
        var settlement = NodeGuardian.Adopt(guardian, SettlementActor.Props("settlement-" + name, lightning, clock, settlementSettings), NodeGuardian.SettlementName);
        var screen = Screen(settings);
        scores ??= ScoreBook(settings);
        var transport = NodeGuardian.Adopt(guardian, InMemoryTransport.Props(network, settings.ContactAddress, settings.Identity.PublicKey, clock, scores, settings.PeerFramesPerSecond, settings.PeerBurst, screen), NodeGuardian.TransportName);
        // Registered now, not in the actor's PreStart, so a node started next can reach it at once.
        network.Register(settings.ContactAddress, transport);
        var node = NodeGuardian.Adopt(guardian, NodeActor.Props(settings, clock, settlement, transport, lightning.NodeId, screen, scores,
            simulatorNode: network.SimulatorNodes), NodeGuardian.NodeName);
        return new RunningNode(name, node, settlement, transport, lightning, guardian);
    }

    /// <summary>
    /// Completes once the node and (if <paramref name="ownSettlement"/>) its settlement have read their journals back:
    /// each answers a query only then, having stashed everything before. Both are asked at once, under one deadline.
    /// </summary>
    /// <exception cref="AskTimeoutException">Not within <paramref name="patience"/>.</exception>
    /// <exception cref="InvalidOperationException">The node stopped first (a journal that cannot be read stops its actor, and the settlement's takes the node down).</exception>
    public static async Task WhenRecoveredAsync(RunningNode node, bool ownSettlement, TimeSpan patience, CancellationToken ct = default)
    {
        var recovered = Task.WhenAll(node.Node.Ask<NodeStatus>(GetNodeStatus.Instance, patience, ct),
            ownSettlement ? node.Settlement.Ask<object>(GetSettlementLedger.Instance, patience, ct) : Task.CompletedTask);
        // Not cancelled with ct: a stop that ct's cancellation follows (the host shutting down after the node) is named as such.
        var stopped = node.Guardian.WatchAsync();
        if (await Task.WhenAny(recovered, stopped) == stopped && !recovered.IsCompleted)
            throw new InvalidOperationException("the node stopped while reading its journals back");
        await recovered;
    }

    /// <summary>
    /// Starts a node on TCP under its guardian: binds the listener first, so that the contact address can name the real
    /// port (listen port 0) when <see cref="NodeSettings.ContactAddress"/> is left empty; then settlement and node.
    /// Throws <see cref="InvalidOperationException"/> if the listen endpoint cannot be bound.
    /// </summary>
    /// <param name="onJournaled">Called after each settlement event is journaled, before it is acted on (crash-point tests).</param>
    /// <param name="hub">This node's part in a relay hub, when it is a member of one (issue 12).</param>
    /// <param name="settlementProps">
    /// The node's settlement in place of a local settlement actor: a hub member on a shared journal passes a forwarder to
    /// its sharded book (<see cref="Hub.HubSettlement.Forwarder"/>; the book itself lives in the shard region, not under
    /// the node's guardian). Null: a settlement actor on the node's own journal.
    /// </param>
    public static async Task<ListeningNode> StartTcpAsync(IActorRefFactory system, string name, NodeSettings settings, TcpTransportSettings tcp, ILightningNode lightning, TimeProvider clock,
        SettlementSettings settlementSettings, Action<SettlementEvent>? onJournaled = null, Hub.HubRole? hub = null, Props? settlementProps = null)
    {
        var screen = Screen(settings);
        var scores = ScoreBook(settings);
        var guardian = NodeGuardian.Start(system, name);
        var transport = NodeGuardian.Adopt(guardian, TcpTransport.Props(tcp, settings.Identity, clock, scores, settings.PeerFramesPerSecond, settings.PeerBurst, screen), NodeGuardian.TransportName);
        var bound = await transport.Ask<object>(GetListenAddress.Instance, TimeSpan.FromSeconds(30));
        if (bound is not Listening listening)
        {
            guardian.Tell(PoisonPill.Instance);
            throw new InvalidOperationException(bound is ListenFailed failed ? failed.Reason : $"transport answered {bound}");
        }
        if (string.IsNullOrEmpty(settings.ContactAddress))
            settings = settings with { ContactAddress = listening.Address };
        var settlement = NodeGuardian.Adopt(guardian,
            settlementProps ?? SettlementActor.Props("settlement-" + name, lightning, clock, settlementSettings, onJournaled), NodeGuardian.SettlementName);
        var node = NodeGuardian.Adopt(guardian, NodeActor.Props(settings, clock, settlement, transport, lightning.NodeId, screen, scores, hub), NodeGuardian.NodeName);
        return new ListeningNode(new RunningNode(name, node, settlement, transport, lightning, guardian), listening, settings);
    }
}
