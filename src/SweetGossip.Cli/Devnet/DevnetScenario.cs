using System.Globalization;

namespace SweetGossip.Cli.Devnet;

/// <summary>
/// The taxi job a devnet is set up for, as in docker/init-network.sh: one authority certifies every node, the taxi
/// driver serves the Sydney geohash r3gx, and a pickup at Sydney's Town Hall reaches it.
/// </summary>
public static class DevnetScenario
{
    public const string AuthorityName = "Devnet Taxi Council";

    public const string DriverArea = "r3gx";

    public const ulong DriverPriceMsat = 25_000_000;

    public const string DriverMessage = "Toyota Prius, 4 seats";

    /// <summary>What every node gets at the Lightning hub when it first registers: any of them can originate and relay.</summary>
    public const ulong StartingBalanceMsat = 1_000_000_000;

    /// <summary>Low enough that a favour's proof of work takes milliseconds on a laptop (as in docker/init-network.sh).</summary>
    public const int PowBaseDifficulty = 12;

    public const double PickupLatitude = -33.8647;

    public const double PickupLongitude = 151.2096;

    public static string PickupArguments =>
        string.Create(CultureInfo.InvariantCulture, $"--lat {PickupLatitude} --lon {PickupLongitude}");
}
