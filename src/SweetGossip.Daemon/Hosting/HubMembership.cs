using SweetGossip.Cluster.Hosting;

namespace SweetGossip.Daemon.Hosting;

/// <summary>The `sweetgossip.cluster` section of `node run`'s config, read once: null settings for a plain node.</summary>
public sealed record HubMembership(HubClusterSettings? Settings);
