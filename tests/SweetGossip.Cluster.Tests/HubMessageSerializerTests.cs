using System.Runtime.Serialization;
using System.Text;
using Google.Protobuf;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using SweetGossip.Cluster.Claims;
using SweetGossip.Cluster.Hosting;
using SweetGossip.Cluster.Peers;
using SweetGossip.Cluster.Pow;
using SweetGossip.Cluster.Serialization;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
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
            new PeerDelivery(peer, frame, At),
            new PeerUnreachable(peer, frame, "no member of the hub holds a link to this peer"),
            new HubPowSolved(7, ulong.MaxValue, 4096, "akka.tcp://hub@10.0.0.2:4053"),
            new HubPowAbandoned(7, "its deadline passed while a worker searched"),
            new FrameViaMember(peer, frame, Bytes.Copy(Convert.FromHexString("0279BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798"))),
            new FrameViaMember(peer, frame, null),
            new PeerJudgedByMember(peer, PeerBehaviour.InvalidFrame, "conditions for ask 1, which this topic did not send it"),
            new PeerJudgedByMember(peer, PeerBehaviour.Thanked, ""),
            new PlaceAnswer(payload, new FrameViaMember(peer, frame, null)),
            new AnswerNotPlaced(payload, new FrameViaMember(peer, frame, null), Claimed: true),
            new AnswerNotPlaced(payload, new FrameViaMember(peer, frame, null), Claimed: false),
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

    [Fact]
    public void A_proof_of_work_job_round_trips_with_its_challenge_difficulty_and_deadline()
    {
        var job = new HubPowJob(42, Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), 20, At);
        var serializer = Sys.Serialization.FindSerializerFor(job);
        var back = Assert.IsType<HubPowJob>(Sys.Serialization.Deserialize(serializer.ToBinary(job), serializer.Identifier, "pow-job"));
        Assert.Equal((job.JobId, job.DifficultyBits, job.Until), (back.JobId, back.DifficultyBits, back.Until));
        Assert.Equal(job.ChallengeHash, back.ChallengeHash);
    }

    [Theory]
    [InlineData(31, 20, "challenge_hash")]
    [InlineData(33, 20, "challenge_hash")]
    [InlineData(32, 65, "difficulty_bits")]
    [InlineData(32, -1, "difficulty_bits")]
    public void A_member_asking_for_an_unbounded_proof_of_work_is_refused_naming_the_field(int challengeLength, int difficulty, string field)
    {
        var serializer = new HubMessageSerializer((ExtendedActorSystem)Sys);
        var bytes = new Serialization.Proto.HubPowJob { JobId = 1, ChallengeHash = ByteString.CopyFrom(new byte[challengeLength]), DifficultyBits = difficulty }.ToByteArray();
        var error = Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, "pow-job"));
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void A_proof_naming_an_oversized_or_missing_solver_is_refused()
    {
        var serializer = new HubMessageSerializer((ExtendedActorSystem)Sys);
        foreach (var solver in new[] { "", new string('m', HubPowSolved.MaxSolverLength + 1) })
        {
            var bytes = new Serialization.Proto.HubPowSolved { JobId = 1, Solver = solver }.ToByteArray();
            Assert.Contains("solver", Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, "pow-solved")).Message);
        }
    }

    [Fact]
    public void A_members_peer_links_round_trip_in_order()
    {
        var serializer = new HubMessageSerializer((ExtendedActorSystem)Sys);
        var links = new MemberPeerLinks(Address.Parse("akka.tcp://hub@10.0.0.2:4053"),
            [.. Enumerable.Range(0, MemberPeerLinks.MaxPeers).Select(_ => PrivateKey.Generate().PublicKey)]);
        var bytes = serializer.ToBinary(links);
        Assert.True(bytes.Length <= HubMessageSerializer.MaxMessageBytes);
        var back = (MemberPeerLinks)serializer.FromBinary(bytes, serializer.Manifest(links));
        Assert.Equal(links.Member, back.Member);
        Assert.Equal(links.Peers, back.Peers);
    }

    /// <summary>A member (or whoever reaches the cluster port) cannot make the others hold an unbounded view.</summary>
    [Fact]
    public void A_peer_links_sample_past_its_bound_or_with_a_bad_key_or_member_is_refused()
    {
        var serializer = new HubMessageSerializer((ExtendedActorSystem)Sys);
        var tooMany = new Serialization.Proto.MemberPeerLinks { Member = "akka.tcp://hub@10.0.0.2:4053" };
        tooMany.Peers.AddRange(Enumerable.Range(0, MemberPeerLinks.MaxPeers + 1).Select(_ => ByteString.CopyFrom(new byte[1])));
        Assert.Contains("above the 1024 allowed", Assert.Throws<SerializationException>(() => serializer.FromBinary(tooMany.ToByteArray(), "member-peer-links")).Message);
        var shortKey = new Serialization.Proto.MemberPeerLinks { Member = "akka.tcp://hub@10.0.0.2:4053", Peers = { ByteString.CopyFrom(new byte[31]) } }.ToByteArray();
        Assert.Contains("malformed", Assert.Throws<SerializationException>(() => serializer.FromBinary(shortKey, "member-peer-links")).Message);
        var noMember = new Serialization.Proto.MemberPeerLinks().ToByteArray();
        Assert.Contains("member must be", Assert.Throws<SerializationException>(() => serializer.FromBinary(noMember, "member-peer-links")).Message);
        Assert.Throws<SerializationException>(() => serializer.ToBinary(new MemberPeerLinks(Address.Parse("akka.tcp://hub@10.0.0.2:4053"),
            [.. Enumerable.Range(0, MemberPeerLinks.MaxPeers + 1).Select(_ => PrivateKey.Generate().PublicKey)])));
    }

    [Fact]
    public void A_forwarded_frame_with_a_bad_lightning_node_peer_or_frame_is_refused_naming_it()
    {
        var serializer = new HubMessageSerializer((ExtendedActorSystem)Sys);
        var frame = ByteString.CopyFrom(SweetGossip.Protocol.Wire.FrameCodec.Encode(new ThankYou(PayloadId.New(), Hash32.Random())));
        var peer = ByteString.CopyFrom(PrivateKey.Generate().PublicKey.Span);
        var shortNode = new Serialization.Proto.FrameViaMember { Peer = peer, Frame = frame, PeerLightningNode = ByteString.CopyFrom(new byte[5]) }.ToByteArray();
        Assert.Contains("peer_lightning_node", Assert.Throws<SerializationException>(() => serializer.FromBinary(shortNode, "frame-via-member")).Message);
        var badPeer = new Serialization.Proto.FrameViaMember { Peer = ByteString.CopyFrom(new byte[3]), Frame = frame }.ToByteArray();
        Assert.Contains("malformed", Assert.Throws<SerializationException>(() => serializer.FromBinary(badPeer, "frame-via-member")).Message);
        var badFrame = new Serialization.Proto.FrameViaMember { Peer = peer, Frame = ByteString.CopyFrom(new byte[] { 0xFF, 0xFF }) }.ToByteArray();
        Assert.Contains("malformed", Assert.Throws<SerializationException>(() => serializer.FromBinary(badFrame, "frame-via-member")).Message);
    }

    [Fact]
    public void An_answer_to_place_without_its_answer_or_with_a_bad_payload_id_is_refused_naming_it()
    {
        var serializer = new HubMessageSerializer((ExtendedActorSystem)Sys);
        var payload = ByteString.CopyFrom(new byte[16]);
        var noAnswer = new Serialization.Proto.PlaceAnswer { PayloadId = payload }.ToByteArray();
        Assert.Contains("answer is missing", Assert.Throws<SerializationException>(() => serializer.FromBinary(noAnswer, "place-answer")).Message);
        var answer = new Serialization.Proto.FrameViaMember
        {
            Peer = ByteString.CopyFrom(PrivateKey.Generate().PublicKey.Span),
            Frame = ByteString.CopyFrom(SweetGossip.Protocol.Wire.FrameCodec.Encode(new ThankYou(PayloadId.New(), Hash32.Random()))),
        };
        var shortId = new Serialization.Proto.PlaceAnswer { PayloadId = ByteString.CopyFrom(new byte[3]), Answer = answer }.ToByteArray();
        Assert.Contains("payload_id must be 16 bytes", Assert.Throws<SerializationException>(() => serializer.FromBinary(shortId, "answer-not-placed")).Message);
        var badNode = new Serialization.Proto.PlaceAnswer { PayloadId = payload, Answer = new(answer) { PeerLightningNode = ByteString.CopyFrom(new byte[5]) } }.ToByteArray();
        Assert.Contains("peer_lightning_node", Assert.Throws<SerializationException>(() => serializer.FromBinary(badNode, "place-answer")).Message);
    }

    /// <summary>
    /// Whoever reaches the cluster port cannot make a member score a peer with a behaviour that is not one (a number past
    /// the enum would weigh 0 today and something else once a behaviour is added), nor store an unbounded detail.
    /// </summary>
    [Fact]
    public void A_judgement_with_an_unknown_behaviour_an_oversized_detail_or_a_bad_peer_is_refused_naming_it()
    {
        var serializer = new HubMessageSerializer((ExtendedActorSystem)Sys);
        var peer = ByteString.CopyFrom(PrivateKey.Generate().PublicKey.Span);
        foreach (var behaviour in new[] { -1, Enum.GetValues<PeerBehaviour>().Length, int.MaxValue })
        {
            var unknown = new Serialization.Proto.PeerJudgedByMember { Peer = peer, Behaviour = behaviour }.ToByteArray();
            Assert.Contains($"behaviour {behaviour}", Assert.Throws<SerializationException>(() => serializer.FromBinary(unknown, "peer-judged")).Message);
        }
        var longDetail = new Serialization.Proto.PeerJudgedByMember { Peer = peer, Detail = new string('x', PeerJudgedByMember.MaxDetailLength + 1) }.ToByteArray();
        Assert.Contains("detail", Assert.Throws<SerializationException>(() => serializer.FromBinary(longDetail, "peer-judged")).Message);
        var badPeer = new Serialization.Proto.PeerJudgedByMember { Peer = ByteString.CopyFrom(new byte[3]) }.ToByteArray();
        Assert.Contains("malformed", Assert.Throws<SerializationException>(() => serializer.FromBinary(badPeer, "peer-judged")).Message);
        var noPeer = new Serialization.Proto.PeerJudgedByMember().ToByteArray();
        Assert.Contains("malformed", Assert.Throws<SerializationException>(() => serializer.FromBinary(noPeer, "peer-judged")).Message);
    }

    [Fact]
    public void A_judgement_sent_with_a_long_detail_is_cut_to_its_bound()
    {
        var serializer = new HubMessageSerializer((ExtendedActorSystem)Sys);
        var judged = new PeerJudgedByMember(PrivateKey.Generate().PublicKey, PeerBehaviour.WrongProof, new string('x', 10_000));
        var back = (PeerJudgedByMember)serializer.FromBinary(serializer.ToBinary(judged), serializer.Manifest(judged));
        Assert.Equal(PeerJudgedByMember.MaxDetailLength, back.Detail.Length);
        Assert.Equal(PeerBehaviour.WrongProof, back.Behaviour);
    }

    private sealed record NotBound(string Text);

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message));
    }
}
