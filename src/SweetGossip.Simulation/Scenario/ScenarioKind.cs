namespace SweetGossip.Simulation.Scenario;

/// <summary>Which application the simulated peers run: what topics are, who originates them and who replies.</summary>
public enum ScenarioKind
{
    /// <summary>The whitepaper's taxi city (<see cref="TaxiScenario"/>): riders ask, drivers near the pickup reply.</summary>
    Taxi,

    /// <summary>Generic jobs (<see cref="JobsScenario"/>): clients post jobs of a category, workers of that category reply; no geography.</summary>
    Jobs,
}
