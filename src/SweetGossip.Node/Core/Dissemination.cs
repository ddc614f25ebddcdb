namespace SweetGossip.Node.Core;

/// <summary>How a node passes a topic on (docs/protocol.md D24).</summary>
public enum Dissemination
{
    /// <summary>Ask <c>fanout</c> peers chosen at random, each ask carrying the whole signed request (D18).</summary>
    Fanout,

    /// <summary>Announce the payload (id and hash) to every peer; only peers that have not seen it grant a favour.</summary>
    Announce,
}
