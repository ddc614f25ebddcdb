namespace SweetGossip.Cli.Devnet;

/// <summary>
/// `sgossip devnet write`: the files of `devnet up` (authority, keys, certificates, one node.conf per node in the same
/// folders) for a network where every process is a host of its own named after it, as containers on one compose
/// network are: nothing is started, every port is fixed. docker/init-network.sh calls it.
/// </summary>
public static class DevnetWrite
{
    public const int PeerPort = 9735;

    public const int ControlPort = 9736;

    public const int MetricsPort = 9464;

    public const int ClusterPort = 4053;

    /// <summary>Writes into an empty or new <paramref name="layout"/> directory; returns the names written, in plan order.</summary>
    /// <param name="lightningHubUrl">Where every node reaches the Lightning hub (its token in ../lightning-hub/hub.token from each node's folder).</param>
    public static IReadOnlyList<string> Run(DevnetLayout layout, DevnetPlan plan, Uri lightningHubUrl)
    {
        if (lightningHubUrl.Scheme is not ("http" or "https") || !lightningHubUrl.IsAbsoluteUri)
            throw new CliException($"--lightning-hub: an http(s) URL, got {lightningHubUrl}");
        Directory.CreateDirectory(layout.Directory);
        if (Directory.EnumerateFileSystemEntries(layout.Directory).Any())
            throw new CliException($"--dir: {layout.Directory} is not empty; give a new or empty directory");
        var authority = DevnetMaterials.CreateAuthority(layout.Authority);
        var identities = DevnetMaterials.CreateIdentities(authority, plan, layout);
        var members = plan.Members.Where(m => m.Role == DevnetRole.HubMember).ToList();
        // Every member seeds from all of them, the first first (it forms the cluster when none answers).
        var seeds = members.Select(m => DevnetCluster.SeedAddress(m.Name, ClusterPort)).ToList();
        foreach (var member in plan.Members)
        {
            var peers = member.Dials.Select(name => new DevnetPeer(name, identities[name], $"{name}:{PeerPort}")).ToList();
            var isMember = member.Role == DevnetRole.HubMember;
            var addresses = new DevnetAddresses($"0.0.0.0:{PeerPort}", $"127.0.0.1:{ControlPort}", $"0.0.0.0:{MetricsPort}",
                ContactAddress: $"{member.Name}:{PeerPort}",
                Cluster: isMember && plan.IsCluster ? new DevnetClusterSection(member.Name, ClusterPort, seeds) : null);
            var lightningName = isMember ? identities[member.Name].ToHex() : member.Name;
            File.WriteAllText(layout.ConfigOf(member.Name),
                DevnetConfigText.For(member, peers, authority.PublicKey.ToHex(), lightningHubUrl.ToString().TrimEnd('/'), lightningName, addresses));
        }
        return [.. plan.Members.Select(m => m.Name)];
    }
}
