namespace SweetGossip.Simulation.Metrics;

/// <summary>The frames of protocol.md, for per-kind traffic totals.</summary>
public enum FrameKind
{
    AskForFavour,
    FavourConditions,
    Broadcast,
    Reply,
    ThankYou,
    Validate,
    Ack,
    LightningNodeAnnouncement,
    TopicAnnouncement,
    AlreadyHave,
    FavourDeclined,
    Other,
}
