using SweetGossip.Protocol.Topics;

namespace SweetGossip.Simulation.Scenario;

/// <summary>
/// A job category as it travels: the wire knows one topic kind (taxi), so a job is a taxi topic whose
/// "pickup" is its category written as a two-character geohash (category 0 is "00", 33 is "11"). No
/// geography is meant; a worker matches on the whole code.
/// </summary>
public static class JobCategory
{
    /// <summary>Two geohash characters: 32 × 32 codes.</summary>
    public const int MaxCategories = 32 * 32;

    public static string Code(int category)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(category);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(category, MaxCategories);
        return string.Concat(Geohash.Alphabet[category / 32], Geohash.Alphabet[category % 32]);
    }
}
