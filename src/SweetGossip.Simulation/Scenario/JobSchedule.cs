using SweetGossip.Simulation.Randomness;

namespace SweetGossip.Simulation.Scenario;

/// <summary>A job: number <see cref="Topic"/> (0, 1, … in time order) posted by <see cref="Origin"/> at <see cref="TimeSeconds"/>.</summary>
public sealed record ScheduledJob(int Topic, double TimeSeconds, int Origin, int Category);

/// <summary>
/// When jobs are posted: a Poisson process at <see cref="JobsScenario.JobsPerMinute"/>, each by a uniformly
/// chosen client (any peer if there are none), of a uniformly chosen category. Stream "topics".
/// </summary>
public static class JobSchedule
{
    public static IReadOnlyList<ScheduledJob> Generate(SimulationConfig config, JobsPopulation population)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(population);
        var jobs = config.JobsSettings;
        var random = SeedStreams.Open(config.Seed, "topics");
        var perSecond = jobs.JobsPerMinute / 60.0;
        var list = new List<ScheduledJob>();
        if (perSecond <= 0 || population.Kinds.Count == 0) return list;
        for (var t = random.NextExponential(perSecond); t < config.DurationSeconds; t += random.NextExponential(perSecond))
        {
            var origin = population.Clients.Count > 0 ? population.Clients[random.Next(population.Clients.Count)] : random.Next(population.Kinds.Count);
            list.Add(new ScheduledJob(list.Count, t, origin, random.Next(jobs.Categories)));
        }
        return list;
    }
}
