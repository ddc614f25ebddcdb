using System.Globalization;
using System.Text;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Cli.Devnet;

/// <summary>Where a node's peers are: each one's identity and listen address, pinned in the config as "identity@host:port".</summary>
public sealed record DevnetPeer(string Name, PublicKey Identity, string Listen);

/// <summary>A hub member's `sweetgossip.cluster` section: its Akka.Remote address (port 0 at the first start) and the seed nodes.</summary>
public sealed record DevnetClusterSection(string Hostname, int Port, IReadOnlyList<string> SeedNodes);

/// <summary>
/// The addresses a node's config names. On loopback each port is 0 at the first start (the OS picks a free one) and
/// the bound one afterwards, so a restart by hand comes back where its peers dial it.
/// </summary>
/// <param name="ContactAddress">What the node tells peers to dial; null: its listen address.</param>
public sealed record DevnetAddresses(string Listen, string ControlListen, string MetricsListen, string? ContactAddress = null, DevnetClusterSection? Cluster = null);

/// <summary>
/// A devnet node's HOCON file: only what differs from reference.conf (the node's defaults stay there). Paths are
/// relative to the node's folder, so the devnet directory can be moved while it is stopped.
/// </summary>
public static class DevnetConfigText
{
    /// <param name="lightningName">The node's name at the Lightning hub: one name for all members of a relay hub, so they share one Lightning node.</param>
    public static string For(DevnetMember member, IReadOnlyList<DevnetPeer> peers, string authorityKeyHex, string lightningHubUrl,
        string lightningName, DevnetAddresses addresses)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Written by `sgossip devnet`: {member.Name}, {member.RoleName}. Paths are relative to this folder.");
        text.AppendLine("sweetgossip {");
        text.AppendLine("  data-directory = \"data\"");
        text.AppendLine("  node {");
        text.AppendLine(CultureInfo.InvariantCulture, $"    listen = {Quote(addresses.Listen)}");
        if (addresses.ContactAddress is { } contact) text.AppendLine(CultureInfo.InvariantCulture, $"    contact-address = {Quote(contact)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"    # {(peers.Count == 0 ? "none: the others dial this one" : string.Join(", ", peers.Select(p => p.Name)))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"    peers = [{string.Join(", ", peers.Select(p => Quote($"{p.Identity.ToHex()}@{p.Listen}")))}]");
        text.AppendLine("    identity-key-file = \"node.key\"");
        text.AppendLine("    certificate-file = \"node.cert\"");
        text.AppendLine(CultureInfo.InvariantCulture, $"    trusted-authorities = [{{ name = {Quote(DevnetScenario.AuthorityName)}, public-key = {Quote(authorityKeyHex)} }}]");
        text.AppendLine(CultureInfo.InvariantCulture, $"    pow.base-difficulty = {DevnetScenario.PowBaseDifficulty}");
        text.AppendLine(CultureInfo.InvariantCulture, $"    reply-policy = {ReplyPolicy(member)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"    lightning {{ kind = hub, hub = {Quote(lightningHubUrl)}, name = {Quote(lightningName)}, hub-token-file = {Quote($"../{DevnetLayout.LightningHubName}/hub.token")}, starting-balance-msat = {DevnetScenario.StartingBalanceMsat} }}");
        text.AppendLine("  }");
        text.AppendLine(CultureInfo.InvariantCulture, $"  control.listen = {Quote(addresses.ControlListen)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  metrics.listen = {Quote(addresses.MetricsListen)}");
        if (addresses.Cluster is { } cluster)
        {
            text.AppendLine("  # One relay hub on several processes: Akka.Cluster between the members (peers never speak Akka).");
            text.AppendLine("  cluster {");
            text.AppendLine(CultureInfo.InvariantCulture, $"    seed-nodes = [{string.Join(", ", cluster.SeedNodes.Select(Quote))}]");
            text.AppendLine(CultureInfo.InvariantCulture, $"    hostname = {Quote(cluster.Hostname)}");
            text.AppendLine(CultureInfo.InvariantCulture, $"    port = {cluster.Port}");
            text.AppendLine("    min-nr-of-members = 1");
            text.AppendLine("  }");
        }
        text.AppendLine("}");
        return text.ToString();
    }

    private static string ReplyPolicy(DevnetMember member) => member.Role == DevnetRole.TaxiDriver
        ? string.Create(CultureInfo.InvariantCulture,
            $"{{ kind = taxi-driver, area = {Quote(DevnetScenario.DriverArea)}, price-msat = {DevnetScenario.DriverPriceMsat}, message = {Quote(DevnetScenario.DriverMessage)} }}")
        : "{ kind = none }";

    /// <summary>A HOCON quoted string; every value here is the devnet's own (names, hex, loopback addresses, relative paths).</summary>
    private static string Quote(string value) => $"\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
}
