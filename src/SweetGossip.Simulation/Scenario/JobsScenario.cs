namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// Generic jobs with uniform interest: each job has one of <see cref="Categories"/> categories, drawn uniformly;
/// each worker serves <see cref="CategoriesPerWorker"/> categories drawn uniformly, so any worker wants any job
/// with the same probability (CategoriesPerWorker / Categories), wherever it is in the graph.
/// </summary>
public sealed record JobsScenario
{
    /// <summary>Number of peers (honest and not; Sybil extra identities come on top).</summary>
    public int Peers { get; init; } = 1_000;

    /// <summary>Fraction of peers that are workers (they reply); the rest are clients (they post jobs).</summary>
    public double WorkerFraction { get; init; } = 0.2;

    /// <summary>Job categories (at most <see cref="JobCategory.MaxCategories"/>).</summary>
    public int Categories { get; init; } = 16;

    public int CategoriesPerWorker { get; init; } = 2;

    /// <summary>Jobs posted across the network per minute (a Poisson process).</summary>
    public double JobsPerMinute { get; init; } = 6;

    /// <summary>How long a job stays open, from when it is posted.</summary>
    public double JobWindowMinutes { get; init; } = 30;

    public Prices Prices { get; init; } = new();
}
