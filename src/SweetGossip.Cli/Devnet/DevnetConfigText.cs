using System.Globalization;
using System.Text;
using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Cli.Devnet;

/// <summary>Where a node's peers are: each one's identity and listen address, pinned in the config as "identity@host:port".</summary>
public sealed record DevnetPeer(string Name, PublicKey Identity, string Listen);

/// <summary>
/// A devnet node's HOCON file: only what differs from reference.conf (the node's defaults stay there). Paths are
/// relative to the node's folder, so the devnet directory can be moved while it is stopped.
/// </summary>
public static class DevnetConfigText
{
    /// <param name="listen">Port 0 at the first start (the OS picks a free one); the bound address afterwards, so a restart by hand comes back where its peers dial it.</param>
    /// <param name="controlListen">The same for the control endpoint.</param>
    public static string For(DevnetMember member, IReadOnlyList<DevnetPeer> peers, string authorityKeyHex, string lightningHubUrl,
        string listen, string controlListen)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Written by `sgossip devnet up`: {member.Name}, {member.RoleName}. Paths are relative to this folder.");
        text.AppendLine("sweetgossip {");
        text.AppendLine("  data-directory = \"data\"");
        text.AppendLine("  node {");
        text.AppendLine(CultureInfo.InvariantCulture, $"    listen = {Quote(listen)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"    # {(peers.Count == 0 ? "none: the others dial this one" : string.Join(", ", peers.Select(p => p.Name)))}");
        text.AppendLine(CultureInfo.InvariantCulture, $"    peers = [{string.Join(", ", peers.Select(p => Quote($"{p.Identity.ToHex()}@{p.Listen}")))}]");
        text.AppendLine("    identity-key-file = \"node.key\"");
        text.AppendLine("    certificate-file = \"node.cert\"");
        text.AppendLine(CultureInfo.InvariantCulture, $"    trusted-authorities = [{{ name = {Quote(DevnetScenario.AuthorityName)}, public-key = {Quote(authorityKeyHex)} }}]");
        text.AppendLine(CultureInfo.InvariantCulture, $"    pow.base-difficulty = {DevnetScenario.PowBaseDifficulty}");
        text.AppendLine(CultureInfo.InvariantCulture, $"    reply-policy = {ReplyPolicy(member)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"    lightning {{ kind = hub, hub = {Quote(lightningHubUrl)}, name = {Quote(member.Name)}, hub-token-file = {Quote($"../{DevnetLayout.LightningHubName}/hub.token")}, starting-balance-msat = {DevnetScenario.StartingBalanceMsat} }}");
        text.AppendLine("  }");
        text.AppendLine(CultureInfo.InvariantCulture, $"  control.listen = {Quote(controlListen)}");
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
