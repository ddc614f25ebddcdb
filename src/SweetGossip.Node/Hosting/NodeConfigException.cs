namespace SweetGossip.Node.Hosting;

/// <summary>The node's configuration is wrong; the message starts with the HOCON key at fault.</summary>
public sealed class NodeConfigException(string key, string reason, Exception? inner = null)
    : Exception($"{key}: {reason}", inner)
{
    public string Key { get; } = key;

    public string Reason { get; } = reason;
}
