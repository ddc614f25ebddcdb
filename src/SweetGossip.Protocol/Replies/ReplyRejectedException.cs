namespace SweetGossip.Protocol.Replies;

/// <summary>A reply the originator must not pay for (or, after paying, evidence of fraud), with the reason.</summary>
public sealed class ReplyRejectedException(string reason) : Exception(reason);
