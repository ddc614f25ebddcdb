using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cli.Fuzz;

/// <summary>
/// Well-formed frames of every kind, drawn from a seeded <see cref="Random"/>: sent as they are by the out-of-order,
/// replay and flood shots, and the starting point of every frame mutation. Payload ids are an honest topic's
/// (one already originated), one of the fuzzer's pool, or new; every other id is random, so nothing answers an
/// ask the node made and no favour the node granted is redeemed.
/// </summary>
public sealed class ValidFrames(FuzzMaterial material)
{
    /// <summary>Any well-formed frame, as a base for damage.</summary>
    public (string Variant, Frame Frame) Any(Random random, int honestOriginated) => random.Next(6) switch
    {
        0 => ("ask", new AskForFavour(new AskId(Id(random)), PoolOrHonest(random, honestOriginated))),
        1 => ("broadcast", BroadcastWithoutFavour(random, PoolOrHonest(random, honestOriginated))),
        _ => OutOfOrder(random, honestOriginated),
    };

    /// <summary>A well-formed frame the node did not ask for and cannot place.</summary>
    public (string Variant, Frame Frame) OutOfOrder(Random random, int honestOriginated)
    {
        var (payload, whose) = Payload(random, honestOriginated);
        return random.Next(14) switch
        {
            0 => ("broadcast_without_favour", BroadcastWithoutFavour(random, PoolOrHonest(random, honestOriginated))),
            1 => ("broadcast_paid_without_favour", BroadcastWithoutFavour(random, PoolOrHonest(random, honestOriginated)) with { Proof = new PaymentProof(Hash(random)) }),
            2 => ("pow_conditions_unknown_ask", new PowFavourConditions(new AskId(Id(random)), new FavourId(Id(random)), Later(random),
                random.Next(4) == 0 ? "sha3" : PowSchemes.Sha256, random.Next(65))),
            3 => ("lightning_conditions_unknown_ask", new LightningFavourConditions(new AskId(Id(random)), new FavourId(Id(random)), Later(random),
                (ulong)random.NextInt64(1, 1_000_000_000), Invoice(random))),
            4 or 5 => ($"reply_{whose}", Reply(random, payload)),
            6 => ($"thank_you_{whose}", new ThankYou(payload, Hash(random))),
            7 => ($"validate_{whose}", new Validate(payload, Hash(random), Hash(random))),
            8 => ($"ack_{whose}", new Ack(payload, Hash(random), Bytes.Copy(RandomBytes(random, 64)))),
            9 => ("lightning_node_announcement", NodeAnnouncement(random)),
            10 => ("ask_untrusted_authority", new AskForFavour(new AskId(Id(random)), material.Rogue)),
            11 => ("ask_pool", new AskForFavour(new AskId(Id(random)), material.Pool[random.Next(material.Pool.Count)])),
            12 => ("ask_fresh_never_redeemed", new AskForFavour(new AskId(Id(random)), material.NewRequest(random))),
            _ => ("ask_honest_topic", new AskForFavour(new AskId(Id(random)), PoolOrHonest(random, honestOriginated))),
        };
    }

    /// <summary>What an honest peer sent or could send for a topic it carries, sent again by someone else.</summary>
    public (string Variant, Frame Frame) HonestLike(Random random, int honestOriginated)
    {
        var request = PoolOrHonest(random, honestOriginated);
        return random.Next(2) == 0
            ? ("ask_replayed", new AskForFavour(new AskId(Id(random)), request))
            : ("broadcast_replayed", new Broadcast(new FavourId(Id(random)), request, new PowProof((ulong)random.NextInt64()), 7, 0));
    }

    /// <summary>A cheap frame to repeat in a flood.</summary>
    public (string Variant, Frame? Frame) FloodFrame(Random random, int honestOriginated) => random.Next(5) switch
    {
        0 => ("keepalive", null),
        1 => ("duplicate_ask", new AskForFavour(new AskId(Id(random)), material.Pool[0])),
        2 => ("fresh_asks", new AskForFavour(new AskId(Id(random)), material.NewRequest(random))),
        3 => ("thank_you", new ThankYou(Payload(random, honestOriginated).Id, Hash(random))),
        _ => ("pow_conditions_unknown_ask", new PowFavourConditions(new AskId(Id(random)), new FavourId(Id(random)), Later(random), PowSchemes.Sha256, 0)),
    };

    /// <summary>A frame like <paramref name="frame"/> but freshly drawn (fresh_asks floods sign a new request each).</summary>
    public Frame? Again(Random random, string floodVariant, Frame? frame) => floodVariant switch
    {
        "fresh_asks" => new AskForFavour(new AskId(Id(random)), material.NewRequest(random)),
        "pow_conditions_unknown_ask" or "duplicate_ask" when frame is not null => frame switch
        {
            AskForFavour ask => ask with { AskId = new AskId(Id(random)) },
            PowFavourConditions c => c with { AskId = new AskId(Id(random)) },
            _ => frame,
        },
        _ => frame,
    };

    public static Guid Id(Random random) => new(RandomBytes(random, 16), bigEndian: true);

    public static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private (PayloadId Id, string Whose) Payload(Random random, int honestOriginated) => random.Next(3) switch
    {
        0 when honestOriginated > 0 => (Honest(random, honestOriginated).Payload.PayloadId, "honest_topic"),
        1 => (material.Pool[random.Next(material.Pool.Count)].Payload.PayloadId, "pool_topic"),
        _ => (new PayloadId(Id(random)), "unknown_payload"),
    };

    private SignedRequestPayload PoolOrHonest(Random random, int honestOriginated) =>
        honestOriginated > 0 && random.Next(2) == 0 ? Honest(random, honestOriginated) : material.Pool[random.Next(material.Pool.Count)];

    // Mostly a recent topic: the one most likely still in flight at the target.
    private SignedRequestPayload Honest(Random random, int honestOriginated) =>
        material.Honest[Math.Max(0, honestOriginated - 1 - (random.Next(2) == 0 ? 0 : random.Next(Math.Min(honestOriginated, 16))))];

    private Broadcast BroadcastWithoutFavour(Random random, SignedRequestPayload request) =>
        new(new FavourId(Id(random)), request, new PowProof((ulong)random.NextInt64()), random.Next(9), (ulong)random.Next(100_000));

    private Reply Reply(Random random, PayloadId payload) => new(payload, Hash(random), (ulong)random.NextInt64(1, 100_000_000), Invoice(random),
        Bytes.Copy(RandomBytes(random, random.Next(0, 600))), Bytes.Copy(RandomBytes(random, random.Next(0, 2_000))));

    private DateTimeOffset Later(Random random) => material.Epoch + TimeSpan.FromSeconds(random.Next(-600, 3_600));

    private static LightningNodeAnnouncement NodeAnnouncement(Random random)
    {
        // 02 ‖ x of a key: a valid compressed point, other than the one this link announced (if it announced one).
        var key = FuzzMaterial.Derive(random.Next(), "lightning-node", 0);
        return new LightningNodeAnnouncement(Bytes.Copy([0x02, .. key.PublicKey.ToBytes()]));
    }

    private static Hash32 Hash(Random random) => Hash32.FromSpan(RandomBytes(random, 32));

    private static string Invoice(Random random)
    {
        const string alphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
        var chars = new char[random.Next(20, 400)];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
        return "lnbcrt" + new string(chars);
    }
}
