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
/// before it. With a relay hub every node dials the hub and the node before it; a hub of several members (one identity,
/// one Akka.Cluster) is listed at every member's address, in an order rotated per node, so that the nodes spread over
/// the members (a node keeps one link to the hub and redials another member when it ends). node1 is the rider (it
/// originates), the last node the taxi driver (it replies), the others middlemen.
/// </summary>
public sealed record DevnetPlan(IReadOnlyList<DevnetMember> Members, int HubMembers)
{
    public const int MinNodes = 2;

    /// <summary>Each node is a .NET process of a few tens of MB: more than this is not a devnet for one machine.</summary>
    public const int MaxNodes = 64;

    public const int MaxHubMembers = 16;

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

    /// <summary>The relay hub's members, hub1..hubM: one process each, all holding the hub's one identity.</summary>
    private static IReadOnlyList<string> HubMemberNames(int count) => [.. Enumerable.Range(1, count).Select(HubMemberName)];

    /// <summary>Node i lists every member, starting at member ((i - 1) mod M): neighbours start at different members.</summary>
    private static IReadOnlyList<string> DialsOf(int node, IReadOnlyList<string> hub)
    {
        var before = Enumerable.Range(1, node - 1).Reverse().Select(NodeName);
        return hub.Count == 0
            ? [.. before.Take(2)]
            : [.. Enumerable.Range(0, hub.Count).Select(k => hub[(node - 1 + k) % hub.Count]), .. before.Take(1)];
    }

    public static string NodeName(int i) => $"node{i}";

    public static string HubMemberName(int i) => $"hub{i}";

    /// <summary>More than one member: they form an Akka.Cluster (a single member runs as a plain process).</summary>
    public bool IsCluster => HubMembers > 1;

    public DevnetMember Rider => Members.First(m => m.Role == DevnetRole.Rider);

    /// <summary>
    /// How many links the processes of one identity (a node, or all members of a hub) hold together once every dial is
    /// up: one per identity they dial, one per identity dialling them (a node keeps one link to a hub, whichever member).
    /// </summary>
    /// <param name="names">The processes of that identity.</param>
    /// <param name="dials">Every process's dials, by name.</param>
    /// <param name="identityOf">Every process's identity, by name.</param>
    public static int LinksOf(IReadOnlyCollection<string> names, IReadOnlyDictionary<string, IReadOnlyList<string>> dials, Func<string, string> identityOf)
    {
        var own = names.Select(identityOf).ToHashSet(StringComparer.Ordinal);
        var dialled = names.SelectMany(n => dials[n]).Select(identityOf).Where(i => !own.Contains(i)).Distinct(StringComparer.Ordinal).Count();
        var dialling = dials.Where(d => !names.Contains(d.Key) && d.Value.Any(names.Contains)).Select(d => identityOf(d.Key)).Distinct(StringComparer.Ordinal).Count();
        return dialled + dialling;
    }
}
