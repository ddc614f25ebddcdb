namespace SweetGossip.Cluster.Serialization;

/// <summary>
/// Marks the messages that cross between hub members. They are bound to <see cref="HubMessageSerializer"/>, whose
/// manifest table is the allow-list: a type carrying this marker but missing from the table fails to serialize.
/// </summary>
public interface IHubMessage;
