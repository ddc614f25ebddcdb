using SweetGossip.Protocol.Topics;
using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Topology;

namespace SweetGossip.Simulation.Scenario;

/// <summary>Checks a <see cref="SimulationConfig"/>; every problem names its JSON field.</summary>
public static class SimulationConfigValidator
{
    public const int MaxHops = 32;        // protocol.md D8
    public const int MaxDifficulty = 64;  // wire limit on PoW difficulty
    public const int MaxPickupPrecision = 8; // protocol.md D5: the privacy bound

    public static IReadOnlyList<ConfigError> Validate(SimulationConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var e = new ConfigErrors();
        e.Positive(config.DurationSeconds, "durationSeconds");
        e.InRange(config.Fanout, 1, int.MaxValue, "fanout");
        e.InRange(config.DifficultyBits, 0, MaxDifficulty, "difficultyBits");
        e.InRange(config.Hops, 0, MaxHops, "hops");
        if (config.AnnounceGatherWindowMs is { } gather) e.Require(gather is >= 0 and <= 60_000, "announceGatherWindowMs", $"must be 0 to 60,000 ms (got {gather})");
        if (config.OriginCoverKeep is { } keep) e.Require(keep is >= 0 and < 1, "originCoverKeep", $"must be in [0, 1) (got {keep})");
        e.Require(Enum.IsDefined(config.Scenario), "scenario", $"must be taxi or jobs (got {config.Scenario})");
        Taxi(config.Taxi, e);
        if (config.Scenario == ScenarioKind.Jobs) Jobs(config.JobsSettings, e);
        else e.Require(config.Jobs is null, "jobs", "is only for scenario jobs");
        Topology(config.Topology, config.PeerCount, e);
        Attacks(config, e);
        Churn(config.Churn, e);
        Latency(config.Latency, e);
        Metrics(config.Metrics, e);
        return e.ToList();
    }

    /// <exception cref="SimulationConfigException">The config has problems.</exception>
    public static void ThrowIfInvalid(SimulationConfig config)
    {
        var errors = Validate(config);
        if (errors.Count > 0) throw new SimulationConfigException(errors);
    }

    private static void Taxi(TaxiScenario taxi, ConfigErrors e)
    {
        var c = taxi.City;
        e.Require(!string.IsNullOrWhiteSpace(c.Name), "taxi.city.name", "must not be empty");
        e.InRange(c.MinLatitude, -90, 90, "taxi.city.minLatitude");
        e.InRange(c.MaxLatitude, -90, 90, "taxi.city.maxLatitude");
        e.InRange(c.MinLongitude, -180, 180, "taxi.city.minLongitude");
        e.InRange(c.MaxLongitude, -180, 180, "taxi.city.maxLongitude");
        e.Require(c.MinLatitude < c.MaxLatitude, "taxi.city.maxLatitude", $"must be above minLatitude ({c.MinLatitude})");
        e.Require(c.MinLongitude < c.MaxLongitude, "taxi.city.maxLongitude", $"must be above minLongitude ({c.MinLongitude})");

        e.InRange(taxi.Peers, 1, 50_000_000, "taxi.peers");
        e.InRange(taxi.DriverFraction, 0, 1, "taxi.driverFraction");
        e.NonNegative(taxi.RiderTopicsPerMinute, "taxi.riderTopicsPerMinute");
        e.InRange(taxi.PickupPrecision, 1, MaxPickupPrecision, "taxi.pickupPrecision");
        e.InRange(taxi.DriverAreaPrecision, 1, Geohash.MaxPrecision, "taxi.driverAreaPrecision");
        e.Require(taxi.DriverAreaPrecision <= taxi.PickupPrecision, "taxi.driverAreaPrecision",
            $"must not exceed pickupPrecision ({taxi.PickupPrecision}): an area is a prefix of the pickup geohash");
        e.Positive(taxi.PickupWindowMinutes, "taxi.pickupWindowMinutes");
        e.Require(taxi.PickupWindowMinutes <= 7 * 24 * 60, "taxi.pickupWindowMinutes", "must be at most 7 days (protocol.md D5)");
        e.Require(taxi.StartHourOfDay >= 0 && taxi.StartHourOfDay < 24, "taxi.startHourOfDay", $"must be in [0, 24) (got {taxi.StartHourOfDay})");

        e.Require(taxi.DriverShifts.Count > 0, "taxi.driverShifts", "must name at least one shift");
        double shares = 0;
        for (var i = 0; i < taxi.DriverShifts.Count; i++)
        {
            var s = taxi.DriverShifts[i];
            e.InRange(s.StartHour, 0, 24, $"taxi.driverShifts[{i}].startHour");
            e.InRange(s.EndHour, 0, 24, $"taxi.driverShifts[{i}].endHour");
            e.Require(s.StartHour != s.EndHour, $"taxi.driverShifts[{i}].endHour", "must differ from startHour");
            e.InRange(s.Share, 0, 1, $"taxi.driverShifts[{i}].share");
            shares += s.Share;
        }
        if (taxi.DriverShifts.Count > 0 && Math.Abs(shares - 1) > 1e-9)
            e.Add("taxi.driverShifts", $"shares must add up to 1 (got {shares})");

        e.InRange(taxi.Prices.DriverPriceMsat, 0, long.MaxValue, "taxi.prices.driverPriceMsat");
        e.InRange(taxi.Prices.RelayFeeMsat, 0, long.MaxValue, "taxi.prices.relayFeeMsat");
        e.InRange(taxi.Prices.FavourPriceMsat, 0, long.MaxValue, "taxi.prices.favourPriceMsat");
    }

    private static void Jobs(JobsScenario jobs, ConfigErrors e)
    {
        e.InRange(jobs.Peers, 1, 50_000_000, "jobs.peers");
        e.InRange(jobs.WorkerFraction, 0, 1, "jobs.workerFraction");
        e.InRange(jobs.Categories, 1, JobCategory.MaxCategories, "jobs.categories");
        e.InRange(jobs.CategoriesPerWorker, 1, Math.Max(1, jobs.Categories), "jobs.categoriesPerWorker");
        e.NonNegative(jobs.JobsPerMinute, "jobs.jobsPerMinute");
        e.Positive(jobs.JobWindowMinutes, "jobs.jobWindowMinutes");
        e.Require(jobs.JobWindowMinutes <= 7 * 24 * 60, "jobs.jobWindowMinutes", "must be at most 7 days (protocol.md D5)");
        e.InRange(jobs.Prices.DriverPriceMsat, 0, long.MaxValue, "jobs.prices.driverPriceMsat");
        e.InRange(jobs.Prices.RelayFeeMsat, 0, long.MaxValue, "jobs.prices.relayFeeMsat");
        e.InRange(jobs.Prices.FavourPriceMsat, 0, long.MaxValue, "jobs.prices.favourPriceMsat");
    }

    private static void Topology(TopologySpec t, int peers, ConfigErrors e)
    {
        var kind = $"topology kind {t.Kind}";
        bool regular = t.Kind == TopologyKind.RandomRegular, er = t.Kind == TopologyKind.ErdosRenyi,
            ba = t.Kind == TopologyKind.BarabasiAlbert, ws = t.Kind == TopologyKind.WattsStrogatz,
            geo = t.Kind == TopologyKind.Geographic, file = t.Kind == TopologyKind.EdgeListFile;
        if (!regular) e.Absent(t.Degree, "topology.degree", kind);
        if (!er) e.Absent(t.EdgeProbability, "topology.edgeProbability", kind);
        if (!ba) e.Absent(t.AttachEdges, "topology.attachEdges", kind);
        if (!ws) e.Absent(t.RingNeighbours, "topology.ringNeighbours", kind);
        if (!ws) e.Absent(t.RewireProbability, "topology.rewireProbability", kind);
        if (!geo) e.Absent(t.RadiusMeters, "topology.radiusMeters", kind);
        if (!geo) e.Absent(t.NearestNeighbours, "topology.nearestNeighbours", kind);
        if (!file) e.Absent(t.EdgeListPath, "topology.edgeListPath", kind);

        if (regular && e.Present(t.Degree, "topology.degree", kind) && t.Degree is { } d)
        {
            e.InRange(d, 0, Math.Max(0, peers - 1), "topology.degree");
            e.Require((long)d * peers % 2 == 0, "topology.degree", $"degree × peers must be even (got {d} × {peers})");
        }
        if (er && e.Present(t.EdgeProbability, "topology.edgeProbability", kind))
            e.InRange(t.EdgeProbability!.Value, 0, 1, "topology.edgeProbability");
        if (ba && e.Present(t.AttachEdges, "topology.attachEdges", kind))
            e.InRange(t.AttachEdges!.Value, 1, Math.Max(1, peers - 1), "topology.attachEdges");
        if (ws && e.Present(t.RingNeighbours, "topology.ringNeighbours", kind) && t.RingNeighbours is { } k)
        {
            e.InRange(k, 0, Math.Max(0, peers - 1), "topology.ringNeighbours");
            e.Require(k % 2 == 0, "topology.ringNeighbours", $"must be even (got {k})");
        }
        if (ws && e.Present(t.RewireProbability, "topology.rewireProbability", kind))
            e.InRange(t.RewireProbability!.Value, 0, 1, "topology.rewireProbability");
        if (geo)
        {
            e.Require(t.RadiusMeters is not null || t.NearestNeighbours is not null, "topology.radiusMeters",
                "Geographic needs radiusMeters, nearestNeighbours, or both");
            if (t.RadiusMeters is { } r) e.Positive(r, "topology.radiusMeters");
            if (t.NearestNeighbours is { } nn) e.InRange(nn, 1, int.MaxValue, "topology.nearestNeighbours");
        }
        if (file) e.Require(!string.IsNullOrWhiteSpace(t.EdgeListPath), "topology.edgeListPath", $"is required for {kind}");
    }

    private static void Attacks(SimulationConfig config, ConfigErrors e)
    {
        double total = 0;
        for (var i = 0; i < config.Attacks.Count; i++)
        {
            var a = config.Attacks[i];
            var f = $"attacks[{i}]";
            var kind = $"attack kind {a.Kind}";
            e.InRange(a.Fraction, 0, 1, $"{f}.fraction");
            total += a.Fraction;
            e.NonNegative(a.StartSeconds, $"{f}.startSeconds");
            e.Require(!(a.StartSeconds >= config.DurationSeconds), $"{f}.startSeconds",
                $"must be before the end of the run (durationSeconds {config.DurationSeconds})");

            var targeted = a.Kind is AttackKind.Eclipse or AttackKind.Censorship;
            if (targeted && e.Present(a.TargetNode, $"{f}.targetNode", kind))
                e.InRange(a.TargetNode!.Value, 0, config.PeerCount - 1, $"{f}.targetNode");
            if (!targeted) e.Absent(a.TargetNode, $"{f}.targetNode", kind);

            if (a.UsesSybils && a.IdentitiesPerAttacker is { } ids) e.InRange(ids, 1, 1_000_000, $"{f}.identitiesPerAttacker");
            if (!a.UsesSybils) e.Absent(a.IdentitiesPerAttacker, $"{f}.identitiesPerAttacker", kind);

            if (a.Kind == AttackKind.CovertFlash && e.Present(a.CovertPeriodSeconds, $"{f}.covertPeriodSeconds", kind))
                e.Positive(a.CovertPeriodSeconds!.Value, $"{f}.covertPeriodSeconds");
            if (a.Kind != AttackKind.CovertFlash) e.Absent(a.CovertPeriodSeconds, $"{f}.covertPeriodSeconds", kind);

            var chatter = a.Kind == AttackKind.Chatterbox;
            if (chatter && a.RepeatsPerTopic is { } repeats) e.InRange(repeats, 1, 1_000_000, $"{f}.repeatsPerTopic");
            if (chatter && a.RepeatIntervalSeconds is { } interval) e.NonNegative(interval, $"{f}.repeatIntervalSeconds");
            if (!chatter) e.Absent(a.RepeatsPerTopic, $"{f}.repeatsPerTopic", kind);
            if (!chatter) e.Absent(a.RepeatIntervalSeconds, $"{f}.repeatIntervalSeconds", kind);
        }
        if (total > 1 + 1e-9) e.Add("attacks", $"fractions add up to {total}: attackers of different attacks are distinct peers, so at most 1");
    }

    private static void Churn(Churn c, ConfigErrors e)
    {
        e.NonNegative(c.OfflinePerHour, "churn.offlinePerHour");
        e.NonNegative(c.OnlinePerHour, "churn.onlinePerHour");
        e.NonNegative(c.LinkDropPerHour, "churn.linkDropPerHour");
        e.NonNegative(c.RelinkSeconds, "churn.relinkSeconds");
        e.NonNegative(c.DriverSpeedKmh, "churn.driverSpeedKmh");
    }

    private static void Latency(LatencyModel l, ConfigErrors e)
    {
        var kind = $"latency kind {l.Kind}";
        bool constant = l.Kind == LatencyKind.Constant, uniform = l.Kind == LatencyKind.Uniform,
            normal = l.Kind == LatencyKind.Normal, logNormal = l.Kind == LatencyKind.LogNormal;
        if (!constant) e.Absent(l.Milliseconds, "latency.milliseconds", kind);
        if (!uniform) e.Absent(l.MinMilliseconds, "latency.minMilliseconds", kind);
        if (!uniform) e.Absent(l.MaxMilliseconds, "latency.maxMilliseconds", kind);
        if (!normal) e.Absent(l.MeanMilliseconds, "latency.meanMilliseconds", kind);
        if (!normal) e.Absent(l.StdDevMilliseconds, "latency.stdDevMilliseconds", kind);
        if (!logNormal) e.Absent(l.MedianMilliseconds, "latency.medianMilliseconds", kind);
        if (!logNormal) e.Absent(l.Sigma, "latency.sigma", kind);

        if (constant && e.Present(l.Milliseconds, "latency.milliseconds", kind)) e.NonNegative(l.Milliseconds!.Value, "latency.milliseconds");
        if (uniform)
        {
            var hasMin = e.Present(l.MinMilliseconds, "latency.minMilliseconds", kind);
            var hasMax = e.Present(l.MaxMilliseconds, "latency.maxMilliseconds", kind);
            if (hasMin) e.NonNegative(l.MinMilliseconds!.Value, "latency.minMilliseconds");
            if (hasMax) e.NonNegative(l.MaxMilliseconds!.Value, "latency.maxMilliseconds");
            if (hasMin && hasMax) e.Require(l.MinMilliseconds <= l.MaxMilliseconds, "latency.maxMilliseconds", "must not be below minMilliseconds");
        }
        if (normal)
        {
            if (e.Present(l.MeanMilliseconds, "latency.meanMilliseconds", kind)) e.NonNegative(l.MeanMilliseconds!.Value, "latency.meanMilliseconds");
            if (e.Present(l.StdDevMilliseconds, "latency.stdDevMilliseconds", kind)) e.NonNegative(l.StdDevMilliseconds!.Value, "latency.stdDevMilliseconds");
        }
        if (logNormal)
        {
            if (e.Present(l.MedianMilliseconds, "latency.medianMilliseconds", kind)) e.Positive(l.MedianMilliseconds!.Value, "latency.medianMilliseconds");
            if (e.Present(l.Sigma, "latency.sigma", kind)) e.NonNegative(l.Sigma!.Value, "latency.sigma");
        }
    }

    private static void Metrics(MetricsSettings m, ConfigErrors e)
    {
        e.Positive(m.CoverageStepSeconds, "metrics.coverageStepSeconds");
        if (m.CoverageHorizonSeconds is { } h) e.Positive(h, "metrics.coverageHorizonSeconds");
        e.Positive(m.TrafficBucketSeconds, "metrics.trafficBucketSeconds");
        if (m.CoverageHorizonSeconds is { } horizon && m.CoverageStepSeconds > 0 && horizon / m.CoverageStepSeconds > MetricsSettingsLimits.MaxCoveragePoints)
            e.Add("metrics.coverageStepSeconds", $"gives more than {MetricsSettingsLimits.MaxCoveragePoints} points over the horizon; use a larger step");
    }
}
