using System.Security.Cryptography;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;

namespace SweetGossip.Cli.Fuzz;

/// <summary>
/// The valid protocol material the fuzzer builds its frames from, all derived from the seed and the run's epoch
/// (the second the run's requests are dated from): link identities, a rider certified by the authority the
/// target trusts, the honest topics' signed requests, a small pool of the fuzzer's own, and a rogue authority's
/// rider whose requests no node should accept. Signatures are made with seeded auxiliary randomness, so the
/// same seed and epoch give the same bytes.
/// </summary>
public sealed class FuzzMaterial
{
    public const string CertificateName = "rider";

    /// <summary>Every request lives this long from the epoch: longer than any run.</summary>
    public static readonly TimeSpan RequestLifetime = TimeSpan.FromHours(6);

    private const int PoolSize = 16;

    // Sydney: where the taxi topics of the tests and demos are.
    private const double Latitude = -33.8647, Longitude = 151.2096;

    private readonly int _seed;
    private readonly TaxiTopic _topic;
    private readonly SignedCertificate _rogueCertificate;
    private readonly PrivateKey _rogueRider;

    public FuzzMaterial(int seed, DateTimeOffset epoch, CertificateAuthority authority, int honestTopics)
    {
        _seed = seed;
        Epoch = UnixTime.Truncate(epoch);
        Authority = authority;
        _topic = TaxiTopic.Create(Latitude, Longitude, 7, Epoch, Epoch + RequestLifetime, Epoch);
        RiderKey = Derive(seed, "rider", 0);
        // Not HashCode.Combine: it is salted per process, and the material must be the same in every process.
        var signing = new Random(unchecked(seed * 7919 + 17));
        RiderCertificate = Signed(signing, () => authority.Issue(RiderKey.PublicKey, CertificateName, [], Epoch.AddDays(-1), Epoch.AddDays(30),
            new CertificateSerial(DeriveId(seed, "serial", 0))));
        var rogue = new CertificateAuthority("Rogue Council", Derive(seed, "rogue-authority", 0));
        _rogueRider = Derive(seed, "rogue-rider", 0);
        _rogueCertificate = Signed(signing, () => rogue.Issue(_rogueRider.PublicKey, CertificateName, [], Epoch.AddDays(-1), Epoch.AddDays(30),
            new CertificateSerial(DeriveId(seed, "serial", 1))));
        Honest = Enumerable.Range(0, honestTopics).Select(k => Request(signing, new PayloadId(DeriveId(seed, "honest", k)), RiderCertificate, RiderKey, k)).ToList();
        Pool = Enumerable.Range(0, PoolSize).Select(i => Request(signing, new PayloadId(DeriveId(seed, "pool", i)), RiderCertificate, RiderKey, -1 - i)).ToList();
        Rogue = Request(signing, new PayloadId(DeriveId(seed, "rogue", 0)), _rogueCertificate, _rogueRider, -1000);
    }

    public DateTimeOffset Epoch { get; }

    public CertificateAuthority Authority { get; }

    public PrivateKey RiderKey { get; }

    public SignedCertificate RiderCertificate { get; }

    /// <summary>The honest originator's topics, in the order it originates them.</summary>
    public IReadOnlyList<SignedRequestPayload> Honest { get; }

    /// <summary>Valid requests of the fuzzer's own, reused across shots (asks for them are duplicates after the first).</summary>
    public IReadOnlyList<SignedRequestPayload> Pool { get; }

    /// <summary>A well-signed request under a certificate from an authority the target does not trust.</summary>
    public SignedRequestPayload Rogue { get; }

    public PrivateKey OriginatorKey => Derive(_seed, "originator", 0);

    public PrivateKey SinkKey => Derive(_seed, "sink", 0);

    /// <summary>The identity of the fuzz link numbered <paramref name="index"/>: a fresh one for every connection.</summary>
    public PrivateKey LinkKey(long index) => Derive(_seed, "link", index);

    /// <summary>A valid request with a payload id never used before, drawn from <paramref name="random"/>.</summary>
    public SignedRequestPayload NewRequest(Random random)
    {
        var id = new byte[16];
        random.NextBytes(id);
        return Request(random, new PayloadId(new Guid(id, bigEndian: true)), RiderCertificate, RiderKey, random.Next());
    }

    /// <summary>The authority the spawned target is told to trust, derived from the seed.</summary>
    public static CertificateAuthority SpawnAuthority(int seed) => new("Fuzz Council", Derive(seed, "authority", 0));

    /// <summary>A valid private key from SHA-256(seed, purpose, index), rehashed in the rare case it is not one.</summary>
    public static PrivateKey Derive(int seed, string purpose, long index)
    {
        var bytes = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"sgossip-fuzz/{seed}/{purpose}/{index}"));
        while (!PrivateKey.IsValid(bytes)) bytes = SHA256.HashData(bytes);
        return PrivateKey.FromBytes(bytes);
    }

    private static Guid DeriveId(int seed, string purpose, long index) =>
        new(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"sgossip-fuzz/{seed}/{purpose}/{index}")).AsSpan(0, 16), bigEndian: true);

    private SignedRequestPayload Request(Random random, PayloadId id, SignedCertificate certificate, PrivateKey signer, long replyIndex) =>
        Signed(random, () => SignedRequestPayload.Sign(
            new RequestPayload(id, _topic, certificate, Derive(_seed, "reply", replyIndex).PublicKey, Epoch, Epoch + RequestLifetime), signer));

    /// <summary>Runs <paramref name="sign"/> with BIP-340 auxiliary randomness drawn from <paramref name="random"/>: same draws, same signature.</summary>
    private static T Signed<T>(Random random, Func<T> sign)
    {
        using var _ = FreshRandomness.ReplaceOnThisThread(Entropy.Seeded(random.Next()));
        return sign();
    }
}
