using SweetGossip.Protocol.Topics;
using SweetGossip.Simulation.Randomness;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// Who is who in a jobs scenario: workers are the first W of a seeded permutation (stream "roles"), each
/// serving categories drawn without repetition (stream "categories", per worker). Positions (stream
/// "positions", over the default city box) only matter to a geographic topology. A function of the config.
/// </summary>
public sealed class JobsPopulation
{
    private readonly int[][] _workersByCategory;

    private JobsPopulation(PeerKind[] kinds, int[]?[] categories, GeoPoint[] positions, LocalProjection projection, int categoryCount)
    {
        Kinds = kinds;
        CategoriesOf = categories;
        Positions = positions;
        Projection = projection;
        Clients = Enumerable.Range(0, kinds.Length).Where(n => kinds[n] == PeerKind.Client).ToArray();
        var byCategory = Enumerable.Range(0, categoryCount).Select(_ => new List<int>()).ToArray();
        for (var node = 0; node < kinds.Length; node++)
            foreach (var c in categories[node] ?? []) byCategory[c].Add(node);
        _workersByCategory = byCategory.Select(l => l.ToArray()).ToArray();
    }

    public IReadOnlyList<PeerKind> Kinds { get; }

    /// <summary>The categories each worker serves (null for clients).</summary>
    public IReadOnlyList<int[]?> CategoriesOf { get; }

    public IReadOnlyList<GeoPoint> Positions { get; }

    public LocalProjection Projection { get; }

    /// <summary>Clients' node ids, ascending.</summary>
    public IReadOnlyList<int> Clients { get; }

    /// <summary>Workers who would take a job of <paramref name="category"/>, ascending ids.</summary>
    public IReadOnlyList<int> InterestedWorkers(int category) => _workersByCategory[category];

    public static JobsPopulation Generate(SimulationConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var jobs = config.JobsSettings;
        var n = jobs.Peers;
        var box = CityBox.SydneyCbd.ToGeoBox();
        var positions = GeoPlacement.Uniform(n, box, config.Seed);
        var order = Enumerable.Range(0, n).ToArray();
        SeedStreams.Open(config.Seed, "roles").Shuffle(order);
        var workers = (int)Math.Round(jobs.WorkerFraction * n, MidpointRounding.AwayFromZero);
        var kinds = Enumerable.Repeat(PeerKind.Client, n).ToArray();
        var categories = new int[]?[n];
        for (var i = 0; i < workers; i++)
        {
            var node = order[i];
            kinds[node] = PeerKind.Worker;
            var all = Enumerable.Range(0, jobs.Categories).ToArray();
            SeedStreams.Open(config.Seed, "categories", node).Shuffle(all);
            categories[node] = all[..Math.Min(jobs.CategoriesPerWorker, all.Length)].Order().ToArray();
        }
        return new JobsPopulation(kinds, categories, positions, LocalProjection.For(box), jobs.Categories);
    }
}
