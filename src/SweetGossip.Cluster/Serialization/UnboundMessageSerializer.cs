using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace SweetGossip.Cluster.Serialization;

/// <summary>
/// Takes the place of Akka's JSON serializer on hub members (config key <c>akka.actor.serializers.json</c>), so that
/// JSON with type names, which would load any type a member names, is neither written nor read. A message with no
/// binding of its own fails loudly here instead of silently going out as JSON.
/// </summary>
public sealed class UnboundMessageSerializer(ExtendedActorSystem system) : Serializer(system)
{
    public const int Id = 7_310_002;

    /// <summary>Akka passes the replaced serializer's settings (<c>serialization-settings.json</c>); there is nothing to read.</summary>
    public UnboundMessageSerializer(ExtendedActorSystem system, Config settings)
        : this(system)
    {
    }

    public override int Identifier => Id;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj) =>
        throw new SerializationException($"{obj.GetType().FullName} has no serializer binding between hub members (JSON is refused): " +
                                         $"bind it in akka.actor.serialization-bindings or add it to {nameof(HubMessageSerializer)}");

    public override object FromBinary(byte[] bytes, Type? type) =>
        throw new SerializationException("a message with no serializer binding between hub members arrived: refused (JSON is not accepted)");
}
