using SweetGossip.Node.Core;
using SweetGossip.Node.Transport.Tcp;

namespace SweetGossip.Node.Hosting;

/// <summary>
/// Which Lightning node a node pays and is paid through. Only <c>embedded</c> exists so far: the process
/// runs its own one-node EmbeddedLightningNetwork holding <paramref name="StartingBalanceMsat"/>. Separate
/// processes then live on separate Lightning networks and cannot pay one another (see hocon/node.conf).
/// </summary>
public sealed record LightningSettings(string Kind, ulong StartingBalanceMsat)
{
    public const string Embedded = "embedded";
}

/// <summary>Everything a hosted node is started from, read from HOCON by <see cref="NodeSettingsLoader"/>.</summary>
/// <param name="Node">The node's behaviour. <see cref="NodeSettings.ContactAddress"/> is empty when it is to be the bound listen address.</param>
/// <param name="ControlListen">The loopback endpoint of the control API (<c>sweetgossip.control.listen</c>).</param>
/// <param name="DataDirectory">Journal and snapshots (absolute).</param>
public sealed record NodeHostSettings(
    NodeSettings Node, TcpTransportSettings Transport, LightningSettings Lightning, string ControlListen, string DataDirectory);
