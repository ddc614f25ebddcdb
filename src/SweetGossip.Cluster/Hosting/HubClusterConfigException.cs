namespace SweetGossip.Cluster.Hosting;

/// <summary>The hub-cluster section of the configuration is wrong; the message starts with the HOCON key at fault.</summary>
public sealed class HubClusterConfigException(string key, string reason, Exception? inner = null)
    : Exception($"{key}: {reason}", inner)
{
    public string Key { get; } = key;

    public string Reason { get; } = reason;
}
