namespace SweetGossip.Daemon.Control;

/// <summary>A control request the node cannot carry out as asked: answered 400 with this message.</summary>
public sealed class ControlRequestException(string message) : Exception(message);
