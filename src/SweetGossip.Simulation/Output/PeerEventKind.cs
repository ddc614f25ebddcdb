namespace SweetGossip.Simulation.Output;

/// <summary>What happened between a node and a peer (peer-events.csv).</summary>
public enum PeerEventKind
{
    /// <summary>The node's score book banned the peer (seen at the first look after it happened).</summary>
    Banned,

    /// <summary>The ban ran out (seen at the first look after it did).</summary>
    BanEnded,

    /// <summary>Churn: the node went offline, dropping all its links.</summary>
    Offline,

    /// <summary>Churn: the node came back and dials its neighbours again.</summary>
    Online,

    /// <summary>Churn: the link from the node to the peer broke.</summary>
    LinkDropped,

    /// <summary>Churn: the node re-dials the peer after a dropped link.</summary>
    LinkRedialled,

    /// <summary>The node's score book judged the peer (cause: the behaviour; value: the peer's score after it).</summary>
    ScoreChanged,

    /// <summary>
    /// The proof-of-work difficulty the node asks of the peer changed (cause: Thanked or Unthanked, the favour outcome
    /// that moved it; value: the bits asked now).
    /// </summary>
    DifficultyChanged,
}
