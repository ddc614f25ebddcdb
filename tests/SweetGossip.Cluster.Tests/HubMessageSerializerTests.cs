using System.Runtime.Serialization;
using System.Text;
using Google.Protobuf;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using SweetGossip.Cluster.Claims;
using SweetGossip.Cluster.Hosting;
using SweetGossip.Cluster.Peers;
using SweetGossip.Cluster.Serialization;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cluster.Tests;

public sealed class HubMessageSerializerTests : TestKit
{
    private static readonly Config Remote = ConfigurationFactory.ParseString("""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.loglevel = WARNING
        """).WithFallback(ConfigurationFactory.ParseString(AkkaClusterConfig.SerializationHocon));

    public HubMessageSerializerTests() : base(Remote, "member-a")
    {
    }

    private static TopicOwner Owner(string link) => new(Address.Parse("akka.tcp://hub@10.0.0.1:4053"), link);

    private static DateTimeOffset At => DateTimeOffset.FromUnixTimeMilliseconds(1_900_000_000_123);

    public static TheoryData<object> AllowListed()
    {
        var payload = PayloadId.New();
        var peer = PrivateKey.Generate().PublicKey;
        var frame = new ThankYou(payload, Hash32.Random());
        return new TheoryData<object>
        {
            new ClaimTopic(payload, Owner("peer-a"), At),
            new TopicClaimed(payload, Owner("peer-a"), At),
            new AlreadyClaimed(payload, Owner("peer-b"), At),
            new RestoreClaim(payload, Owner("peer-a"), At),
            new PeerDelivery(peer, frame),
            new PeerUnreachable(peer, frame, "no member of the hub holds a link to this peer"),
        };
    }

    [Theory]
    [MemberData(nameof(AllowListed))]
    public void Each_allow_listed_message_round_trips_through_the_hub_serializer(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<HubMessageSerializer>(serializer);
        var manifest = ((HubMessageSerializer)serializer).Manifest(message);
        Assert.Equal(message.GetType(), HubMessageSerializer.AllowList[manifest]);
        Assert.Equal(message, Sys.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, manifest));
    }

    [Fact]
    public async Task Allowed_messages_cross_between_two_actor_systems_over_Akka_Remote()
    {
        using var other = ActorSystem.Create("member-b", Remote);
        other.ActorOf(Props.Create(() => new Echo()), "echo");
        var otherAddress = ((ExtendedActorSystem)other).Provider.DefaultAddress;
        var echo = await Sys.ActorSelection($"{otherAddress}/user/echo").ResolveOne(TimeSpan.FromSeconds(30));
        Assert.True(echo.Path.Address.HasGlobalScope);

        var claim = new ClaimTopic(PayloadId.New(), Owner("peer-a"), At);
        echo.Tell(claim, TestActor);
        Assert.Equal(claim, ExpectMsg<ClaimTopic>(TimeSpan.FromSeconds(30)));

        var delivery = new PeerDelivery(PrivateKey.Generate().PublicKey, new ThankYou(PayloadId.New(), Hash32.Random()));
        echo.Tell(delivery, TestActor);
        Assert.Equal(delivery, ExpectMsg<PeerDelivery>(TimeSpan.FromSeconds(30)));
        await other.Terminate();
    }

    [Fact]
    public void A_type_named_by_a_manifest_outside_the_allow_list_is_refused()
    {
        var serializer = (HubMessageSerializer)Sys.Serialization.FindSerializerForType(typeof(IHubMessage));
        var crafted = serializer.ToBinary(new ClaimTopic(PayloadId.New(), Owner("peer-a"), At));
        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary(crafted, "System.Diagnostics.Process, System.Diagnostics.Process"));
        Assert.Contains("not on the allow-list", error.Message);
    }

    [Fact]
    public void Type_named_JSON_from_a_member_is_refused_instead_of_loading_the_type()
    {
        // Akka's JSON serializer (id 1) loads whatever type a member names; with it, these bytes would become a dictionary.
        const string manifest = "System.Collections.Generic.Dictionary`2[[System.String],[System.String]]";
        var crafted = Encoding.UTF8.GetBytes("""{"$type":"System.Collections.Generic.Dictionary`2[[System.String, System.Private.CoreLib],[System.String, System.Private.CoreLib]], System.Private.CoreLib","a":"b"}""");
        var error = Assert.Throws<SerializationException>(() => Sys.Serialization.Deserialize(crafted, 1, manifest));
        Assert.Contains("[1]", error.Message);
        var replacement = Sys.Serialization.FindSerializerForType(typeof(object));
        Assert.IsType<UnboundMessageSerializer>(replacement);
        Assert.Throws<SerializationException>(() => replacement.FromBinary(crafted, typeof(Dictionary<string, string>)));
    }

    [Fact]
    public void A_message_without_a_binding_is_not_sent_as_JSON()
    {
        var serializer = Sys.Serialization.FindSerializerFor(new NotBound("x"));
        var error = Assert.Throws<SerializationException>(() => serializer.ToBinary(new NotBound("x")));
        Assert.Contains(nameof(NotBound), error.Message);
    }

    [Fact]
    public void A_claim_with_a_short_payload_id_is_refused_naming_the_field()
    {
        var serializer = new HubMessageSerializer((ExtendedActorSystem)Sys);
        var bytes = new Serialization.Proto.TopicClaim { PayloadId = Google.Protobuf.ByteString.CopyFrom(new byte[5]) }.ToByteArray();
        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, "claim-topic"));
        Assert.Contains("payload_id", error.Message);
    }

    [Fact]
    public void An_oversized_message_is_refused_before_parsing()
    {
        var serializer = new HubMessageSerializer((ExtendedActorSystem)Sys);
        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary(new byte[HubMessageSerializer.MaxMessageBytes + 1], "peer-delivery"));
        Assert.Contains("limit", error.Message);
    }

    private sealed record NotBound(string Text);

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message));
    }
}
