namespace SweetGossip.Protocol.Frames;

/// <summary>One message of the Sweet-Gossip protocol, as exchanged between two peers.</summary>
public abstract record Frame
{
    /// <summary>The frame's protocol name, used in logs and error messages.</summary>
    public abstract string Name { get; }
}
