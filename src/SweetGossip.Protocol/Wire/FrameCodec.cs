using Google.Protobuf;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using P = SweetGossip.Protocol.Wire.Proto;

namespace SweetGossip.Protocol.Wire;

/// <summary>
/// Frames to and from envelope bytes (version 1). Decoding checks structure and limits only;
/// signatures, proofs and times are checked by the validators, which know the node's state.
/// Any bad input becomes a <see cref="FrameFormatException"/>, never another exception.
/// </summary>
public static class FrameCodec
{
    public static byte[] Encode(Frame frame)
    {
        var envelope = ToEnvelope(frame);
        var bytes = envelope.ToByteArray();
        if (bytes.Length > WireLimits.MaxFrameBytes)
            throw new FrameFormatException(frame.Name, "*", $"encodes to {bytes.Length} bytes, above the {WireLimits.MaxFrameBytes}-byte frame limit");
        return bytes;
    }

    public static Frame Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > WireLimits.MaxFrameBytes)
            throw new FrameFormatException("Envelope", "*", $"is {bytes.Length} bytes, above the {WireLimits.MaxFrameBytes}-byte frame limit");
        var envelope = ProtoFields.Parse(P.Envelope.Parser, bytes, "Envelope", "*");
        if (envelope.Version != WireLimits.ProtocolVersion)
            throw new FrameFormatException("Envelope", "version", $"must be {WireLimits.ProtocolVersion} (got {envelope.Version})");
        try
        {
            return envelope.FrameCase switch
            {
                P.Envelope.FrameOneofCase.AskForFavour => DecodeAsk(envelope.AskForFavour),
                P.Envelope.FrameOneofCase.FavourConditions => DecodeConditions(envelope.FavourConditions),
                P.Envelope.FrameOneofCase.Broadcast => DecodeBroadcast(envelope.Broadcast),
                P.Envelope.FrameOneofCase.Reply => DecodeReply(envelope.Reply),
                P.Envelope.FrameOneofCase.Validate => DecodeValidate(envelope.Validate),
                P.Envelope.FrameOneofCase.Ack => DecodeAck(envelope.Ack),
                P.Envelope.FrameOneofCase.ThankYou => DecodeThankYou(envelope.ThankYou),
                P.Envelope.FrameOneofCase.LightningNodeAnnouncement => DecodeNodeAnnouncement(envelope.LightningNodeAnnouncement),
                P.Envelope.FrameOneofCase.TopicAnnouncement => DecodeTopicAnnouncement(envelope.TopicAnnouncement),
                P.Envelope.FrameOneofCase.FavourDeclined => new FavourDeclined(new PayloadId(ProtoFields.Id(envelope.FavourDeclined.PayloadId, nameof(FavourDeclined), "payload_id"))),
                P.Envelope.FrameOneofCase.AlreadyHave => new AlreadyHave(new PayloadId(ProtoFields.Id(envelope.AlreadyHave.PayloadId, nameof(AlreadyHave), "payload_id"))),
                _ => throw new FrameFormatException("Envelope", "frame", "is empty or of an unknown type"),
            };
        }
        catch (ArgumentException e)
        {
            // Belt and braces: a domain constructor refusing a value is still the peer's bad input.
            throw new FrameFormatException("Envelope", "*", e.Message, e);
        }
    }

    private static P.Envelope ToEnvelope(Frame frame)
    {
        var envelope = new P.Envelope { Version = WireLimits.ProtocolVersion };
        switch (frame)
        {
            case AskForFavour ask:
                envelope.AskForFavour = new P.AskForFavour
                {
                    AskId = ProtoFields.Of(ask.AskId.Value),
                    SignedRequestPayload = RequestWire.ToProto(ask.SignedRequest),
                };
                break;
            case PowFavourConditions pow:
                envelope.FavourConditions = ConditionsHeader(pow);
                envelope.FavourConditions.Pow = new P.PowFavourConditions { Scheme = pow.Scheme, DifficultyBits = (uint)pow.DifficultyBits };
                break;
            case LightningFavourConditions ln:
                envelope.FavourConditions = ConditionsHeader(ln);
                envelope.FavourConditions.Lightning = new P.LightningFavourConditions { PriceMsat = ln.PriceMsat, Invoice = ln.Invoice };
                break;
            case Broadcast b:
                var broadcast = new P.Broadcast
                {
                    FavourId = ProtoFields.Of(b.FavourId.Value),
                    SignedRequestPayload = RequestWire.ToProto(b.SignedRequest),
                    HopsRemaining = (uint)b.HopsRemaining,
                    PathFeeMsat = b.PathFeeMsat,
                };
                switch (b.Proof)
                {
                    case PowProof pow: broadcast.PowNonce = pow.Nonce; break;
                    case PaymentProof paid: broadcast.PaymentPreimage = ProtoFields.Of(paid.Preimage); break;
                    default: throw new ArgumentException($"unknown proof {b.Proof.GetType().Name}", nameof(frame));
                }
                envelope.Broadcast = broadcast;
                break;
            case Reply r:
                envelope.Reply = new P.Reply
                {
                    PayloadId = ProtoFields.Of(r.PayloadId.Value),
                    PaymentHash = ProtoFields.Of(r.PaymentHash),
                    ReplierPriceMsat = r.ReplierPriceMsat,
                    Invoice = r.Invoice,
                    SealedHeader = ProtoFields.Of(r.SealedHeader),
                    SealedBody = ProtoFields.Of(r.SealedBody),
                };
                break;
            case Validate v:
                envelope.Validate = new P.Validate
                {
                    PayloadId = ProtoFields.Of(v.PayloadId.Value),
                    SealedBodyHash = ProtoFields.Of(v.SealedBodyHash),
                    PaymentPreimage = ProtoFields.Of(v.PaymentPreimage),
                };
                break;
            case Ack a:
                envelope.Ack = new P.Ack
                {
                    PayloadId = ProtoFields.Of(a.PayloadId.Value),
                    SealedBodyHash = ProtoFields.Of(a.SealedBodyHash),
                    ReplierSignature = ProtoFields.Of(a.ReplierSignature),
                };
                break;
            case ThankYou t:
                envelope.ThankYou = new P.ThankYou
                {
                    PayloadId = ProtoFields.Of(t.PayloadId.Value),
                    PaymentPreimage = ProtoFields.Of(t.PaymentPreimage),
                };
                break;
            case LightningNodeAnnouncement n:
                envelope.LightningNodeAnnouncement = new P.LightningNodeAnnouncement { NodeId = ProtoFields.Of(n.NodeId) };
                break;
            case TopicAnnouncement a:
                envelope.TopicAnnouncement = new P.TopicAnnouncement
                {
                    AskId = ProtoFields.Of(a.AskId.Value),
                    PayloadId = ProtoFields.Of(a.PayloadId.Value),
                    PayloadHash = ProtoFields.Of(a.PayloadHash),
                    HopsRemaining = (uint)a.HopsRemaining,
                };
                break;
            case FavourDeclined d:
                envelope.FavourDeclined = new P.FavourDeclined { PayloadId = ProtoFields.Of(d.PayloadId.Value) };
                break;
            case AlreadyHave h:
                envelope.AlreadyHave = new P.AlreadyHave { PayloadId = ProtoFields.Of(h.PayloadId.Value) };
                break;
            default:
                throw new ArgumentException($"frame {frame.Name} has no wire encoding", nameof(frame));
        }
        return envelope;
    }

    private static P.FavourConditions ConditionsHeader(FavourConditions c) => new()
    {
        AskId = ProtoFields.Of(c.AskId.Value),
        FavourId = ProtoFields.Of(c.FavourId.Value),
        ValidUntil = UnixTime.ToSeconds(c.ValidUntil),
    };

    private static AskForFavour DecodeAsk(P.AskForFavour p)
    {
        const string f = nameof(AskForFavour);
        return new AskForFavour(
            new AskId(ProtoFields.Id(p.AskId, f, "ask_id")),
            RequestWire.FromProto(p.SignedRequestPayload, f, "signed_request_payload"));
    }

    private static FavourConditions DecodeConditions(P.FavourConditions p)
    {
        const string f = nameof(FavourConditions);
        var askId = new AskId(ProtoFields.Id(p.AskId, f, "ask_id"));
        var favourId = new FavourId(ProtoFields.Id(p.FavourId, f, "favour_id"));
        var validUntil = ProtoFields.Time(p.ValidUntil, f, "valid_until");
        switch (p.KindCase)
        {
            case P.FavourConditions.KindOneofCase.Pow:
                var scheme = ProtoFields.Text(p.Pow.Scheme, WireLimits.MaxPowSchemeLength, f, "pow.scheme");
                if (p.Pow.DifficultyBits > WireLimits.MaxPowDifficultyBits)
                    throw new FrameFormatException(f, "pow.difficulty_bits", $"must be at most {WireLimits.MaxPowDifficultyBits} (got {p.Pow.DifficultyBits})");
                return new PowFavourConditions(askId, favourId, validUntil, scheme, (int)p.Pow.DifficultyBits);
            case P.FavourConditions.KindOneofCase.Lightning:
                if (p.Lightning.PriceMsat == 0)
                    throw new FrameFormatException(f, "lightning.price_msat", "must be above zero");
                return new LightningFavourConditions(askId, favourId, validUntil, p.Lightning.PriceMsat,
                    ProtoFields.Text(p.Lightning.Invoice, WireLimits.MaxInvoiceLength, f, "lightning.invoice"));
            default:
                throw new FrameFormatException(f, "kind", "must be pow or lightning");
        }
    }

    private static Broadcast DecodeBroadcast(P.Broadcast p)
    {
        const string f = nameof(Broadcast);
        BroadcastProof proof = p.ProofCase switch
        {
            P.Broadcast.ProofOneofCase.PowNonce => new PowProof(p.PowNonce),
            P.Broadcast.ProofOneofCase.PaymentPreimage => new PaymentProof(ProtoFields.Hash(p.PaymentPreimage, f, "payment_preimage")),
            _ => throw new FrameFormatException(f, "proof", "is missing (pow_nonce or payment_preimage)"),
        };
        if (p.HopsRemaining > WireLimits.MaxHops)
            throw new FrameFormatException(f, "hops_remaining", $"must be at most {WireLimits.MaxHops} (got {p.HopsRemaining})");
        return new Broadcast(
            new FavourId(ProtoFields.Id(p.FavourId, f, "favour_id")),
            RequestWire.FromProto(p.SignedRequestPayload, f, "signed_request_payload"),
            proof,
            (int)p.HopsRemaining,
            p.PathFeeMsat);
    }

    private static Reply DecodeReply(P.Reply p)
    {
        const string f = nameof(Reply);
        return new Reply(
            new PayloadId(ProtoFields.Id(p.PayloadId, f, "payload_id")),
            ProtoFields.Hash(p.PaymentHash, f, "payment_hash"),
            p.ReplierPriceMsat,
            ProtoFields.Text(p.Invoice, WireLimits.MaxInvoiceLength, f, "invoice"),
            ProtoFields.Bounded(p.SealedHeader, WireLimits.MaxSealedHeaderBytes, f, "sealed_header"),
            ProtoFields.Bounded(p.SealedBody, WireLimits.MaxSealedBodyBytes, f, "sealed_body"));
    }

    private static Validate DecodeValidate(P.Validate p)
    {
        const string f = nameof(Validate);
        return new Validate(
            new PayloadId(ProtoFields.Id(p.PayloadId, f, "payload_id")),
            ProtoFields.Hash(p.SealedBodyHash, f, "sealed_body_hash"),
            ProtoFields.Hash(p.PaymentPreimage, f, "payment_preimage"));
    }

    private static Ack DecodeAck(P.Ack p)
    {
        const string f = nameof(Ack);
        return new Ack(
            new PayloadId(ProtoFields.Id(p.PayloadId, f, "payload_id")),
            ProtoFields.Hash(p.SealedBodyHash, f, "sealed_body_hash"),
            ProtoFields.Signature(p.ReplierSignature, f, "replier_signature"));
    }

    private static ThankYou DecodeThankYou(P.ThankYou p)
    {
        const string f = nameof(ThankYou);
        return new ThankYou(
            new PayloadId(ProtoFields.Id(p.PayloadId, f, "payload_id")),
            ProtoFields.Hash(p.PaymentPreimage, f, "payment_preimage"));
    }

    private static TopicAnnouncement DecodeTopicAnnouncement(P.TopicAnnouncement p)
    {
        const string f = nameof(TopicAnnouncement);
        if (p.HopsRemaining > WireLimits.MaxHops)
            throw new FrameFormatException(f, "hops_remaining", $"must be at most {WireLimits.MaxHops} (got {p.HopsRemaining})");
        return new TopicAnnouncement(
            new AskId(ProtoFields.Id(p.AskId, f, "ask_id")),
            new PayloadId(ProtoFields.Id(p.PayloadId, f, "payload_id")),
            ProtoFields.Hash(p.PayloadHash, f, "payload_hash"),
            (int)p.HopsRemaining);
    }

    private static LightningNodeAnnouncement DecodeNodeAnnouncement(P.LightningNodeAnnouncement p) =>
        new(ProtoFields.CompressedPoint(p.NodeId, nameof(LightningNodeAnnouncement), "node_id"));
}
