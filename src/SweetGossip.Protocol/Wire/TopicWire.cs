using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using P = SweetGossip.Protocol.Wire.Proto;

namespace SweetGossip.Protocol.Wire;

/// <summary>Topics to and from the wire. Structure only: whether a topic makes sense now is Topic.Validate's job.</summary>
internal static class TopicWire
{
    public static P.Topic ToProto(Topic topic) => topic switch
    {
        TaxiTopic taxi => new P.Topic
        {
            Taxi = new P.TaxiTopic
            {
                PickupGeohash = taxi.PickupGeohash,
                DropoffGeohash = taxi.DropoffGeohash ?? "",
                PickupAfter = UnixTime.ToSeconds(taxi.PickupAfter),
                PickupBefore = UnixTime.ToSeconds(taxi.PickupBefore),
            },
        },
        _ => throw new ArgumentException($"topic kind '{topic.Kind}' has no wire encoding", nameof(topic)),
    };

    public static Topic FromProto(P.Topic? proto, string frame, string field)
    {
        proto = ProtoFields.Required(proto, frame, field);
        switch (proto.KindCase)
        {
            case P.Topic.KindOneofCase.Taxi:
                var t = proto.Taxi;
                var pickup = Geohash(t.PickupGeohash, frame, field + ".taxi.pickup_geohash", allowEmpty: false);
                var dropoff = Geohash(t.DropoffGeohash, frame, field + ".taxi.dropoff_geohash", allowEmpty: true);
                return new TaxiTopic(
                    pickup,
                    dropoff.Length == 0 ? null : dropoff,
                    ProtoFields.Time(t.PickupAfter, frame, field + ".taxi.pickup_after"),
                    ProtoFields.Time(t.PickupBefore, frame, field + ".taxi.pickup_before"));
            default:
                throw new FrameFormatException(frame, field, "has no known topic kind");
        }
    }

    private static string Geohash(string value, string frame, string field, bool allowEmpty)
    {
        if (value.Length == 0 && allowEmpty)
            return value;
        if (value.Length == 0)
            throw new FrameFormatException(frame, field, "is missing");
        if (value.Length > TaxiTopic.MaxGeohashPrecision)
            throw new FrameFormatException(frame, field, $"must be at most {TaxiTopic.MaxGeohashPrecision} characters (got {value.Length})");
        if (!Topics.Geohash.IsValid(value))
            throw new FrameFormatException(frame, field, "is not a geohash (lowercase base32 without a, i, l, o)");
        return value;
    }
}
