using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Google.Protobuf;
using SweetGossip.Cluster.Claims;
using SweetGossip.Cluster.Peers;
using SweetGossip.Cluster.Pow;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Wire;
using P = SweetGossip.Cluster.Serialization.Proto;

namespace SweetGossip.Cluster.Serialization;

/// <summary>
/// Protobuf for the messages between hub members, one fixed manifest per type: the manifest table is the allow-list.
/// Deserialization never loads a type by name; an unknown manifest, oversized bytes or a malformed field is a
/// <see cref="SerializationException"/> naming what is wrong.
/// </summary>
public sealed class HubMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Outside Akka's reserved range (0..100) and the ids of Akka's own plugins.</summary>
    public const int Id = 7_310_001;

    /// <summary>A frame plus a few short fields; anything larger is not one of ours.</summary>
    public const int MaxMessageBytes = WireLimits.MaxFrameBytes + 4096;

    private const int MaxMemberLength = 512;

    internal const string ClaimTopicManifest = "claim-topic";
    internal const string TopicClaimedManifest = "topic-claimed";
    internal const string AlreadyClaimedManifest = "already-claimed";
    internal const string RestoreClaimManifest = "restore-claim";
    internal const string PeerDeliveryManifest = "peer-delivery";
    internal const string PeerUnreachableManifest = "peer-unreachable";
    internal const string PowJobManifest = "pow-job";
    internal const string PowSolvedManifest = "pow-solved";
    internal const string PowAbandonedManifest = "pow-abandoned";
    internal const string MemberPeerLinksManifest = "member-peer-links";
    internal const string FrameViaMemberManifest = "frame-via-member";
    internal const string PeerJudgedManifest = "peer-judged";
    internal const string PlaceAnswerManifest = "place-answer";
    internal const string AnswerNotPlacedManifest = "answer-not-placed";

    /// <summary>Every manifest this serializer accepts, and the type it makes.</summary>
    public static IReadOnlyDictionary<string, Type> AllowList { get; } = new Dictionary<string, Type>
    {
        [ClaimTopicManifest] = typeof(ClaimTopic),
        [TopicClaimedManifest] = typeof(TopicClaimed),
        [AlreadyClaimedManifest] = typeof(AlreadyClaimed),
        [RestoreClaimManifest] = typeof(RestoreClaim),
        [PeerDeliveryManifest] = typeof(PeerDelivery),
        [PeerUnreachableManifest] = typeof(PeerUnreachable),
        [PowJobManifest] = typeof(HubPowJob),
        [PowSolvedManifest] = typeof(HubPowSolved),
        [PowAbandonedManifest] = typeof(HubPowAbandoned),
        [MemberPeerLinksManifest] = typeof(MemberPeerLinks),
        [FrameViaMemberManifest] = typeof(FrameViaMember),
        [PeerJudgedManifest] = typeof(PeerJudgedByMember),
        [PlaceAnswerManifest] = typeof(PlaceAnswer),
        [AnswerNotPlacedManifest] = typeof(AnswerNotPlaced),
    };

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        ClaimTopic => ClaimTopicManifest,
        TopicClaimed => TopicClaimedManifest,
        AlreadyClaimed => AlreadyClaimedManifest,
        RestoreClaim => RestoreClaimManifest,
        PeerDelivery => PeerDeliveryManifest,
        PeerUnreachable => PeerUnreachableManifest,
        HubPowJob => PowJobManifest,
        HubPowSolved => PowSolvedManifest,
        HubPowAbandoned => PowAbandonedManifest,
        MemberPeerLinks => MemberPeerLinksManifest,
        FrameViaMember => FrameViaMemberManifest,
        PeerJudgedByMember => PeerJudgedManifest,
        PlaceAnswer => PlaceAnswerManifest,
        AnswerNotPlaced => AnswerNotPlacedManifest,
        _ => throw NotAllowed(o),
    };

    public override byte[] ToBinary(object obj) => obj switch
    {
        ClaimTopic m => Claim(m.PayloadId, m.Claimant, m.ExpiresAt),
        TopicClaimAnswer m => Claim(m.PayloadId, m.Owner, m.ExpiresAt),
        RestoreClaim m => Claim(m.PayloadId, m.Owner, m.ExpiresAt),
        PeerDelivery m => new P.PeerDelivery { Peer = ByteString.CopyFrom(m.Peer.Span), Frame = ByteString.CopyFrom(FrameCodec.Encode(m.Frame)), HeldUntilUnixMs = m.HeldUntil?.ToUnixTimeMilliseconds() ?? 0 }.ToByteArray(),
        PeerUnreachable m => new P.PeerUnreachable
        {
            Peer = ByteString.CopyFrom(m.Peer.Span),
            Frame = ByteString.CopyFrom(FrameCodec.Encode(m.Frame)),
            Reason = Truncate(m.Reason, PeerUnreachable.MaxReasonLength),
        }.ToByteArray(),
        HubPowJob m => PowJob(m),
        HubPowSolved m => new P.HubPowSolved
        {
            JobId = m.JobId, Nonce = m.Nonce, HashesTried = m.HashesTried, Solver = Truncate(m.Solver, HubPowSolved.MaxSolverLength),
        }.ToByteArray(),
        HubPowAbandoned m => new P.HubPowAbandoned { JobId = m.JobId, Reason = Truncate(m.Reason, HubPowAbandoned.MaxReasonLength) }.ToByteArray(),
        MemberPeerLinks m => PeerLinks(m),
        FrameViaMember m => ViaMember(m).ToByteArray(),
        PlaceAnswer m => new P.PlaceAnswer { PayloadId = ByteString.CopyFrom(Id16.ToBytes(m.PayloadId.Value)), Answer = ViaMember(m.Answer) }.ToByteArray(),
        AnswerNotPlaced m => new P.PlaceAnswer
        {
            PayloadId = ByteString.CopyFrom(Id16.ToBytes(m.PayloadId.Value)), Answer = ViaMember(m.Answer), Claimed = m.Claimed,
        }.ToByteArray(),
        PeerJudgedByMember m => new P.PeerJudgedByMember
        {
            Peer = ByteString.CopyFrom(m.Peer.Span), Behaviour = (int)m.Behaviour, Detail = Truncate(m.Detail, PeerJudgedByMember.MaxDetailLength),
        }.ToByteArray(),
        _ => throw NotAllowed(obj),
    };

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!AllowList.ContainsKey(manifest))
            throw new SerializationException($"hub message manifest '{Shorten(manifest)}' is not on the allow-list ({string.Join(", ", AllowList.Keys)}): refused");
        if (bytes.Length > MaxMessageBytes)
            throw new SerializationException($"hub message '{manifest}' is {bytes.Length} bytes, above the {MaxMessageBytes}-byte limit: refused");
        try
        {
            return manifest switch
            {
                ClaimTopicManifest => ReadClaim(bytes, manifest, (id, owner, at) => new ClaimTopic(id, owner, at)),
                TopicClaimedManifest => ReadClaim(bytes, manifest, (id, owner, at) => new TopicClaimed(id, owner, at)),
                AlreadyClaimedManifest => ReadClaim(bytes, manifest, (id, owner, at) => new AlreadyClaimed(id, owner, at)),
                RestoreClaimManifest => ReadClaim(bytes, manifest, (id, owner, at) => new RestoreClaim(id, owner, at)),
                PeerDeliveryManifest => ReadDelivery(bytes),
                PeerUnreachableManifest => ReadUnreachable(bytes),
                PowJobManifest => ReadPowJob(bytes),
                PowSolvedManifest => ReadPowSolved(bytes),
                MemberPeerLinksManifest => ReadPeerLinks(bytes),
                FrameViaMemberManifest => ReadFrameViaMember(bytes),
                PeerJudgedManifest => ReadPeerJudged(bytes),
                PlaceAnswerManifest => ReadPlacement(bytes, PlaceAnswerManifest, (id, answer, _) => new PlaceAnswer(id, answer)),
                AnswerNotPlacedManifest => ReadPlacement(bytes, AnswerNotPlacedManifest, (id, answer, claimed) => new AnswerNotPlaced(id, answer, claimed)),
                _ => ReadPowAbandoned(bytes),
            };
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or ArgumentException or FormatException or UriFormatException
                                      or CryptoFormatException or FrameFormatException or OverflowException)
        {
            throw new SerializationException($"hub message '{manifest}' is malformed: {e.Message}", e);
        }
    }

    private static byte[] Claim(PayloadId payloadId, TopicOwner owner, DateTimeOffset expiresAt) => new P.TopicClaim
    {
        PayloadId = ByteString.CopyFrom(Id16.ToBytes(payloadId.Value)),
        Owner = new P.TopicOwner { Member = owner.Member.ToString(), LinkId = owner.LinkId },
        ExpiresAtUnixMs = expiresAt.ToUnixTimeMilliseconds(),
    }.ToByteArray();

    private static T ReadClaim<T>(byte[] bytes, string manifest, Func<PayloadId, TopicOwner, DateTimeOffset, T> make)
    {
        var proto = P.TopicClaim.Parser.ParseFrom(bytes);
        if (proto.PayloadId.Length != Id16.Length)
            throw new SerializationException($"hub message '{manifest}': payload_id must be {Id16.Length} bytes (got {proto.PayloadId.Length})");
        var owner = proto.Owner ?? throw new SerializationException($"hub message '{manifest}': owner is missing");
        if (owner.Member.Length is 0 or > MaxMemberLength)
            throw new SerializationException($"hub message '{manifest}': owner.member must be 1..{MaxMemberLength} characters (got {owner.Member.Length})");
        if (owner.LinkId.Length is 0 or > TopicOwner.MaxLinkIdLength)
            throw new SerializationException($"hub message '{manifest}': owner.link_id must be 1..{TopicOwner.MaxLinkIdLength} characters (got {owner.LinkId.Length})");
        return make(
            new PayloadId(Id16.FromBytes(proto.PayloadId.Span)),
            new TopicOwner(Address.Parse(owner.Member), owner.LinkId),
            DateTimeOffset.FromUnixTimeMilliseconds(proto.ExpiresAtUnixMs));
    }

    private static PeerDelivery ReadDelivery(byte[] bytes)
    {
        var proto = P.PeerDelivery.Parser.ParseFrom(bytes);
        return new PeerDelivery(PublicKey.FromBytes(proto.Peer.Span), FrameCodec.Decode(proto.Frame.Span),
            proto.HeldUntilUnixMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(proto.HeldUntilUnixMs));
    }

    private static PeerUnreachable ReadUnreachable(byte[] bytes)
    {
        var proto = P.PeerUnreachable.Parser.ParseFrom(bytes);
        if (proto.Reason.Length > PeerUnreachable.MaxReasonLength)
            throw new SerializationException($"hub message '{PeerUnreachableManifest}': reason is longer than {PeerUnreachable.MaxReasonLength} characters");
        return new PeerUnreachable(PublicKey.FromBytes(proto.Peer.Span), FrameCodec.Decode(proto.Frame.Span), proto.Reason);
    }

    private static byte[] PeerLinks(MemberPeerLinks m)
    {
        if (m.Peers.Count > MemberPeerLinks.MaxPeers)
            throw new SerializationException($"hub message '{MemberPeerLinksManifest}': {m.Peers.Count} peers, above the {MemberPeerLinks.MaxPeers} allowed");
        var proto = new P.MemberPeerLinks { Member = m.Member.ToString() };
        foreach (var peer in m.Peers) proto.Peers.Add(ByteString.CopyFrom(peer.Span));
        return proto.ToByteArray();
    }

    private static MemberPeerLinks ReadPeerLinks(byte[] bytes)
    {
        var proto = P.MemberPeerLinks.Parser.ParseFrom(bytes);
        if (proto.Member.Length is 0 or > MaxMemberLength)
            throw new SerializationException($"hub message '{MemberPeerLinksManifest}': member must be 1..{MaxMemberLength} characters (got {proto.Member.Length})");
        if (proto.Peers.Count > MemberPeerLinks.MaxPeers)
            throw new SerializationException($"hub message '{MemberPeerLinksManifest}': {proto.Peers.Count} peers, above the {MemberPeerLinks.MaxPeers} allowed");
        var peers = new List<PublicKey>(proto.Peers.Count);
        foreach (var peer in proto.Peers) peers.Add(PublicKey.FromBytes(peer.Span));
        return new MemberPeerLinks(Address.Parse(proto.Member), peers);
    }

    private static P.FrameViaMember ViaMember(FrameViaMember m) => new()
    {
        Peer = ByteString.CopyFrom(m.Peer.Span),
        Frame = ByteString.CopyFrom(FrameCodec.Encode(m.Frame)),
        PeerLightningNode = m.PeerLightningNode is { } node ? ByteString.CopyFrom(node.Span) : ByteString.Empty,
    };

    private static T ReadPlacement<T>(byte[] bytes, string manifest, Func<PayloadId, FrameViaMember, bool, T> make)
    {
        var proto = P.PlaceAnswer.Parser.ParseFrom(bytes);
        if (proto.PayloadId.Length != Id16.Length)
            throw new SerializationException($"hub message '{manifest}': payload_id must be {Id16.Length} bytes (got {proto.PayloadId.Length})");
        var answer = proto.Answer ?? throw new SerializationException($"hub message '{manifest}': answer is missing");
        return make(new PayloadId(Id16.FromBytes(proto.PayloadId.Span)), ReadFrameViaMember(answer), proto.Claimed);
    }

    private static FrameViaMember ReadFrameViaMember(byte[] bytes) => ReadFrameViaMember(P.FrameViaMember.Parser.ParseFrom(bytes));

    private static FrameViaMember ReadFrameViaMember(P.FrameViaMember proto)
    {
        if (proto.PeerLightningNode.Length is not (0 or FrameViaMember.LightningNodeLength))
            throw new SerializationException(
                $"hub message '{FrameViaMemberManifest}': peer_lightning_node must be empty or {FrameViaMember.LightningNodeLength} bytes (got {proto.PeerLightningNode.Length})");
        return new FrameViaMember(PublicKey.FromBytes(proto.Peer.Span), FrameCodec.Decode(proto.Frame.Span),
            proto.PeerLightningNode.Length == 0 ? null : Bytes.Copy(proto.PeerLightningNode.Span));
    }

    private static PeerJudgedByMember ReadPeerJudged(byte[] bytes)
    {
        var proto = P.PeerJudgedByMember.Parser.ParseFrom(bytes);
        // A number outside the enum would score as weight 0 on one build and as something else on the next: refused.
        if (!Enum.IsDefined((PeerBehaviour)proto.Behaviour))
            throw new SerializationException($"hub message '{PeerJudgedManifest}': behaviour {proto.Behaviour} is not a peer behaviour");
        if (proto.Detail.Length > PeerJudgedByMember.MaxDetailLength)
            throw new SerializationException($"hub message '{PeerJudgedManifest}': detail is longer than {PeerJudgedByMember.MaxDetailLength} characters");
        return new PeerJudgedByMember(PublicKey.FromBytes(proto.Peer.Span), (PeerBehaviour)proto.Behaviour, proto.Detail);
    }

    private static byte[] PowJob(HubPowJob m)
    {
        return new P.HubPowJob
        {
            JobId = m.JobId, ChallengeHash = ByteString.CopyFrom(m.ChallengeHash), DifficultyBits = m.DifficultyBits, UntilUnixMs = m.Until.ToUnixTimeMilliseconds(),
        }.ToByteArray();
    }

    private static HubPowJob ReadPowJob(byte[] bytes)
    {
        var proto = P.HubPowJob.Parser.ParseFrom(bytes);
        if (proto.ChallengeHash.Length != HubPowJob.ChallengeLength)
            throw new SerializationException($"hub message '{PowJobManifest}': challenge_hash must be {HubPowJob.ChallengeLength} bytes (got {proto.ChallengeHash.Length})");
        if (proto.DifficultyBits is < 0 or > HubPowJob.MaxDifficultyBits)
            throw new SerializationException($"hub message '{PowJobManifest}': difficulty_bits must be 0..{HubPowJob.MaxDifficultyBits} (got {proto.DifficultyBits})");
        return new HubPowJob(proto.JobId, proto.ChallengeHash.ToByteArray(), proto.DifficultyBits, DateTimeOffset.FromUnixTimeMilliseconds(proto.UntilUnixMs));
    }

    private static HubPowSolved ReadPowSolved(byte[] bytes)
    {
        var proto = P.HubPowSolved.Parser.ParseFrom(bytes);
        if (proto.HashesTried < 0)
            throw new SerializationException($"hub message '{PowSolvedManifest}': hashes_tried must not be negative (got {proto.HashesTried})");
        if (proto.Solver.Length is 0 or > HubPowSolved.MaxSolverLength)
            throw new SerializationException($"hub message '{PowSolvedManifest}': solver must be 1..{HubPowSolved.MaxSolverLength} characters (got {proto.Solver.Length})");
        return new HubPowSolved(proto.JobId, proto.Nonce, proto.HashesTried, proto.Solver);
    }

    private static HubPowAbandoned ReadPowAbandoned(byte[] bytes)
    {
        var proto = P.HubPowAbandoned.Parser.ParseFrom(bytes);
        if (proto.Reason.Length > HubPowAbandoned.MaxReasonLength)
            throw new SerializationException($"hub message '{PowAbandonedManifest}': reason is longer than {HubPowAbandoned.MaxReasonLength} characters");
        return new HubPowAbandoned(proto.JobId, proto.Reason);
    }

    private static SerializationException NotAllowed(object o) =>
        new($"{o.GetType().FullName} is not on the hub's serialization allow-list: add a manifest for it to {nameof(HubMessageSerializer)}");

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    private static string Shorten(string text) => text.Length <= 128 ? text : text[..128] + "…";
}
