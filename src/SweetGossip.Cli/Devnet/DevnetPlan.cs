namespace SweetGossip.Cli.Devnet;

/// <summary>What a devnet process is for: a member of the relay hub, or a plain node in one of the taxi roles.</summary>
public enum DevnetRole
{
    HubMember,
    Rider,
    Middleman,
    TaxiDriver,
}

/// <summary>One node process of the plan: its name, role, and the names of the nodes it dials (always ones started before it).</summary>
public sealed record DevnetMember(string Name, DevnetRole Role, IReadOnlyList<string> Dials)
{
    public string RoleName => Role switch
    {
        DevnetRole.HubMember => "hub-member",
        DevnetRole.Rider => "rider",
        DevnetRole.TaxiDriver => "taxi-driver",
        _ => "middleman",
    };
}

/// <summary>
/// Who is in a devnet and who dials whom, in start order (so every node's peers are already listening when it starts,
/// and their OS-chosen ports are known). Without a relay hub the nodes form a line with chords: each node dials the two
/// before it. With a relay hub every node dials a hub member and the node before it. node1 is the rider (it originates),
/// the last node the taxi driver (it replies), the others middlemen.
/// </summary>
public sealed record DevnetPlan(IReadOnlyList<DevnetMember> Members, int HubMembers)
{
    public const int MinNodes = 2;

    /// <summary>Each node is a .NET process of a few tens of MB: more than this is not a devnet for one machine.</summary>
    public const int MaxNodes = 64;

    public const int MaxHubMembers = 16;

    public const string NotYetSupported = "not yet supported: hub members need the cluster (issue 12)";

    /// <param name="hubMembers">Members of the relay hub; null for none.</param>
    public static DevnetPlan Create(int nodes, int? hubMembers)
    {
        if (nodes is < MinNodes or > MaxNodes)
            throw new CliException($"--nodes: must be {MinNodes}..{MaxNodes} (a rider and a taxi driver at least), got {nodes}");
        if (hubMembers is { } m && m is < 1 or > MaxHubMembers)
            throw new CliException($"--hub-members: must be 1..{MaxHubMembers}, got {m}");
        var hub = HubMemberNames(hubMembers ?? 0);
        var members = new List<DevnetMember>(hub.Select(name => new DevnetMember(name, DevnetRole.HubMember, [])));
        for (var i = 1; i <= nodes; i++)
        {
            var role = i == 1 ? DevnetRole.Rider : i == nodes ? DevnetRole.TaxiDriver : DevnetRole.Middleman;
            members.Add(new DevnetMember(NodeName(i), role, DialsOf(i, hub)));
        }
        return new DevnetPlan(members, hub.Count);
    }

    /// <summary>
    /// The relay hub's members. The one place that grows when members exist: each member then needs the cluster
    /// section (seed nodes, the shared journal) in its config, and the nodes list every member's address.
    /// </summary>
    private static IReadOnlyList<string> HubMemberNames(int count) => count switch
    {
        0 => [],
        1 => ["hub1"],
        _ => throw new CliException($"--hub-members {count}: {NotYetSupported}"),
    };

    private static IReadOnlyList<string> DialsOf(int node, IReadOnlyList<string> hub)
    {
        var before = Enumerable.Range(1, node - 1).Reverse().Select(NodeName);
        return hub.Count == 0
            ? [.. before.Take(2)]
            : [hub[(node - 1) % hub.Count], .. before.Take(1)];
    }

    public static string NodeName(int i) => $"node{i}";

    public DevnetMember Rider => Members.First(m => m.Role == DevnetRole.Rider);

    /// <summary>How many links node <paramref name="name"/> has once every dial is up: those it dials and those dialling it.</summary>
    /// <param name="dials">Every node's dials, by name.</param>
    public static int LinksOf(string name, IReadOnlyDictionary<string, IReadOnlyList<string>> dials) =>
        dials[name].Count + dials.Values.Count(d => d.Contains(name, StringComparer.Ordinal));
}
