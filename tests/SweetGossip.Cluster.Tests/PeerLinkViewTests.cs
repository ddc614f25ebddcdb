using Akka.Actor;
using SweetGossip.Cluster.Peers;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Cluster.Tests;

/// <summary>Each member's view of the peers the other members link to (what a topic owned there may ask), on a real cluster.</summary>
public sealed class PeerLinkViewTests
{
    private static readonly TimeSpan Wait = TestHub.Patience;

    [Fact]
    public async Task A_member_sees_the_peers_another_member_links_to_and_not_those_it_links_to_itself_or_whose_link_closed()
    {
        await using var hub = await TestHub.StartAsync(2);
        var view = TestHub.Probe(hub[0]);
        hub[0].PeerLinks.Tell(new SubscribeHubPeers(view.Ref));
        Assert.Empty(view.ExpectMsg<HubPeers>(Wait).Peers);

        var peer = PrivateKey.Generate().PublicKey;
        var linkOnB = TestHub.Probe(hub[1]);
        hub[1].PeerLinks.Tell(new RegisterPeerLink(peer, linkOnB.Ref));
        view.FishForMessage<HubPeers>(v => v.Peers.Contains(peer), Wait);

        // The peer dials member A too: A reaches it over its own link, so it leaves A's view of the others' peers.
        var linkOnA = TestHub.Probe(hub[0]);
        hub[0].PeerLinks.Tell(new RegisterPeerLink(peer, linkOnA.Ref));
        view.FishForMessage<HubPeers>(v => !v.Peers.Contains(peer), Wait);
        hub[0].PeerLinks.Tell(new UnregisterPeerLink(peer, linkOnA.Ref));
        view.FishForMessage<HubPeers>(v => v.Peers.Contains(peer), Wait);

        // B's link closes: B shows it no longer, and A forgets it.
        hub[1].PeerLinks.Tell(new UnregisterPeerLink(peer, linkOnB.Ref));
        view.FishForMessage<HubPeers>(v => !v.Peers.Contains(peer), Wait);
    }

    /// <summary>A member with many links shows the others a sample of view-size, so each member's view stays bounded.</summary>
    [Fact]
    public async Task A_member_with_more_links_than_its_view_size_shows_only_a_sample_of_them()
    {
        await using var hub = await TestHub.StartAsync(2, extraSettings: "peer-links.view-size = 3");
        var view = TestHub.Probe(hub[0]);
        hub[0].PeerLinks.Tell(new SubscribeHubPeers(view.Ref));
        var links = Enumerable.Range(0, 10).Select(_ => (Peer: PrivateKey.Generate().PublicKey, Link: TestHub.Probe(hub[1]))).ToList();
        foreach (var (peer, link) in links) hub[1].PeerLinks.Tell(new RegisterPeerLink(peer, link.Ref));

        // Samples are drawn as links come: the first to show three or more shows exactly three (never ten).
        var seen = view.FishForMessage<HubPeers>(v => v.Peers.Count >= 3, Wait);
        Assert.Equal(3, seen.Peers.Count);
        Assert.All(seen.Peers, p => Assert.Contains(p, links.Select(l => l.Peer)));
    }
}
