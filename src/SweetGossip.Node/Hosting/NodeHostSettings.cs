using SweetGossip.Node.Core;
using SweetGossip.Node.Transport.Tcp;

namespace SweetGossip.Node.Hosting;

/// <summary>
/// Which Lightning node a node pays and is paid through.
/// <c>embedded</c> (default): the process runs its own one-node EmbeddedLightningNetwork holding
/// <paramref name="StartingBalanceMsat"/>; separate processes then live on separate Lightning networks and
/// cannot pay one another. <c>hub</c>: the node's Lightning node lives in a Lightning hub process
/// (<c>sgossip ln hub</c>) at <paramref name="Hub"/>, shared with the other nodes using it; it is named
/// <paramref name="Name"/> there (empty: the node's identity key) and opened with the starting balance the
/// first time that name registers; every call carries the hub's token, read from <paramref name="HubTokenFile"/>
/// (an absolute path, checked at load).
/// </summary>
public sealed record LightningSettings(string Kind, ulong StartingBalanceMsat, Uri? Hub = null, string Name = "", string? HubTokenFile = null)
{
    public const string Embedded = "embedded";

    public const string HubKind = "hub";
}

/// <summary>Everything a hosted node is started from, read from HOCON by <see cref="NodeSettingsLoader"/>.</summary>
/// <param name="Node">The node's behaviour. <see cref="NodeSettings.ContactAddress"/> is empty when it is to be the bound listen address.</param>
/// <param name="ControlListen">The loopback endpoint of the control API (<c>sweetgossip.control.listen</c>).</param>
/// <param name="DataDirectory">Journal and snapshots (absolute).</param>
public sealed record NodeHostSettings(
    NodeSettings Node, TcpTransportSettings Transport, LightningSettings Lightning, string ControlListen, string DataDirectory);
