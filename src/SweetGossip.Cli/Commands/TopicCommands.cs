using System.CommandLine;
using SweetGossip.Cli.Control;
using SweetGossip.Daemon.Control;
using SweetGossip.Protocol.Topics;

namespace SweetGossip.Cli.Commands;

/// <summary>`sgossip topic taxi`: build and check a taxi topic as an originator would; `topic broadcast`: have a running node originate one.</summary>
internal static class TopicCommands
{
    public static Command Build()
    {
        var topic = new Command("topic", "Job proposals (topics)");
        topic.Subcommands.Add(Taxi());
        topic.Subcommands.Add(Broadcast());
        return topic;
    }

    private static Command Taxi()
    {
        var lat = Options.Required<double>("--lat", "Pickup latitude, degrees");
        var lon = Options.Required<double>("--lon", "Pickup longitude, degrees");
        var precision = Options.WithDefault("--precision", $"Geohash length, 1..{TaxiTopic.MaxGeohashPrecision} (originator privacy)", 7);
        var after = Options.WithDefault("--after", "Earliest pickup (ISO 8601 or now, now+15m …)", "now");
        var before = Options.WithDefault("--before", "Latest pickup (ISO 8601 or now+1h …)", "now+1h");
        var dropLat = Options.Optional<double?>("--dropoff-lat", "Drop-off latitude");
        var dropLon = Options.Optional<double?>("--dropoff-lon", "Drop-off longitude");
        var command = Options.Command("taxi", "Make a taxi topic: pickup geohash and time window", lat, lon, precision, after, before, dropLat, dropLon);
        command.SetAction(parse =>
        {
            var ctx = CliContext.From(parse);
            var now = DateTimeOffset.UtcNow;
            (double, double)? dropoff = (parse.GetValue(dropLat), parse.GetValue(dropLon)) switch
            {
                ({ } a, { } o) => (a, o),
                (null, null) => null,
                _ => throw new CliException("give both --dropoff-lat and --dropoff-lon, or neither"),
            };
            var (latitude, longitude) = (parse.GetValue(lat), parse.GetValue(lon));
            CheckCoordinate(latitude, 90, "--lat");
            CheckCoordinate(longitude, 180, "--lon");
            if (dropoff is { } d)
            {
                CheckCoordinate(d.Item1, 90, "--dropoff-lat");
                CheckCoordinate(d.Item2, 180, "--dropoff-lon");
            }
            var topic = TaxiTopic.Create(latitude, longitude, parse.GetValue(precision),
                Options.ParseTime(parse.GetValue(after)!, now, "--after"),
                Options.ParseTime(parse.GetValue(before)!, now, "--before"), now, dropoff);
            var (width, height) = Geohash.CellSize(topic.PickupGeohash.Length);
            ctx.Write(new
            {
                topic.Kind,
                topic.PickupGeohash,
                topic.DropoffGeohash,
                PickupAfter = topic.PickupAfter.ToString("O"),
                PickupBefore = topic.PickupBefore.ToString("O"),
                CellWidthMeters = Math.Round(width, 3),
                CellHeightMeters = Math.Round(height, 3),
            },
            $"taxi pickup {topic.PickupGeohash} (cell ≈ {Meters(width)} × {Meters(height)})"
                + (topic.DropoffGeohash is null ? "" : $" → {topic.DropoffGeohash}"),
            $"window {topic.PickupAfter:O} .. {topic.PickupBefore:O}");
            return 0;
        });
        return command;
    }

    private static Command Broadcast()
    {
        var control = ControlOptions.Default();
        var lat = Options.Required<double>("--lat", "Pickup latitude, degrees");
        var lon = Options.Required<double>("--lon", "Pickup longitude, degrees");
        var precision = Options.WithDefault("--precision", $"Geohash length, 1..{TaxiTopic.MaxGeohashPrecision} (originator privacy)", 7);
        var after = Options.WithDefault("--after", "Earliest pickup (ISO 8601 or now, now+15m …, on the node's clock)", "now");
        var before = Options.WithDefault("--before", "Latest pickup (ISO 8601 or now+1h …)", "now+1h");
        var command = Options.Command("broadcast", "Have a running node originate a taxi topic and gossip it; prints its payload id", [.. control.All, lat, lon, precision, after, before]);
        command.SetAction(async (parse, cancel) =>
        {
            var ctx = CliContext.From(parse);
            var request = new TaxiTopicRequest(parse.GetValue(lat), parse.GetValue(lon), parse.GetValue(precision), parse.GetValue(after), parse.GetValue(before));
            var topic = await ControlClient.PostAsync<TopicView>(control.Target(parse)!, "/topics/taxi", request, cancel);
            ctx.Write(topic, $"payload {topic.PayloadId}: taxi pickup {topic.PickupGeohash}, window {topic.PickupAfter} .. {topic.PickupBefore}");
            return 0;
        });
        return command;
    }

    // Written so that NaN fails too (every comparison with NaN is false).
    private static void CheckCoordinate(double value, double limit, string option)
    {
        try
        {
            RequestValues.CheckCoordinate(value, limit, option);
        }
        catch (FormatException e)
        {
            throw new CliException(e.Message);
        }
    }

    private static string Meters(double m) => m >= 1000 ? $"{m / 1000:0.##} km" : m >= 1 ? $"{m:0.#} m" : $"{m * 1000:0.#} mm";
}
