using System.CommandLine;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Replies;
using SweetGossip.Protocol.Topics;
using SweetGossip.Protocol.Validation;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Cli.Commands;

/// <summary>
/// `sgossip demo`: one taxi job through originator → middleman → middleman → replier and back,
/// every frame encoded and decoded on the way, every check the protocol prescribes made.
/// Runs in-process; the Lightning payment chain is represented by the preimage exchange only.
/// </summary>
internal static class DemoCommand
{
    public static Command Build()
    {
        var difficulty = Options.WithDefault("--difficulty", "PoW difficulty each middleman asks for (leading zero bits)", 16);
        var command = Options.Command("demo", "Walk one taxi job through the whole protocol in-process", difficulty);
        command.SetAction(async (parse, cancel) =>
        {
            var ctx = CliContext.From(parse);
            var bits = parse.GetValue(difficulty);
            if (bits is < 0 or > 32) throw new CliException("--difficulty: keep it within 0..32 for a demo");
            var log = new List<string>();
            var summary = await RunAsync(bits, log.Add, cancel);
            ctx.Write(new { Steps = log, summary.Hops, summary.PowHashes, summary.ReplyMessage, summary.Acknowledged }, [.. log]);
            return summary.Acknowledged ? 0 : 1;
        });
        return command;
    }

    public sealed record DemoSummary(int Hops, long PowHashes, string ReplyMessage, bool Acknowledged);

    public static async Task<DemoSummary> RunAsync(int difficulty, Action<string> log, CancellationToken cancel)
    {
        var now = UnixTime.Truncate(DateTimeOffset.UtcNow);
        var authority = new CertificateAuthority("Sydney Taxi Council", PrivateKey.Generate());
        var trusted = new TrustedAuthorities();
        trusted.Trust(authority.Name, authority.PublicKey);
        log($"authority '{authority.Name}' {authority.PublicKey}");

        var riderKey = PrivateKey.Generate();
        var riderCert = authority.Issue(riderKey.PublicKey, "rider", [], now.AddDays(-1), now.AddYears(1));
        var driverKey = PrivateKey.Generate();
        var driverCert = authority.Issue(driverKey.PublicKey, "taxi-driver", [new("licence", "B"), new("area", "r3gx")], now.AddDays(-1), now.AddYears(1));
        var middlemen = new[] { PrivateKey.Generate(), PrivateKey.Generate() };

        // Originator: the whitepaper's example pickup, in the next 30 minutes.
        var topic = TaxiTopic.Create(-33.8647, 151.2096, 7, now, now.AddMinutes(30), now);
        var replyKey = PrivateKey.Generate();
        var request = SignedRequestPayload.Sign(
            new RequestPayload(PayloadId.New(), topic, riderCert, replyKey.PublicKey, now, now.AddHours(1)), riderKey);
        log($"originator: taxi topic pickup {topic.PickupGeohash}, payload {request.Payload.PayloadId}");

        long hashes = 0;
        var current = request;
        var hopsRemaining = 8;
        ulong pathFee = 0;
        foreach (var (middleman, index) in middlemen.Select((m, i) => (m, i + 1)))
        {
            // Asker → middleman: AskForFavour, over the wire.
            var ask = (AskForFavour)RoundTrip(new AskForFavour(AskId.New(), current));
            var verdict = RequestValidator.Validate(ask.SignedRequest, trusted, now);
            if (!verdict.IsValid) throw new CliException($"middleman {index} refused the ask: {verdict}");
            var conditions = (PowFavourConditions)RoundTrip(new PowFavourConditions(ask.AskId, FavourId.New(), now.AddMinutes(5), PowSchemes.Sha256, difficulty));
            var issued = new IssuedFavour(conditions, ask.SignedRequest.PayloadHash, middleman.PublicKey);
            log($"middleman {index}: conditions sha256, {difficulty} bits, favour {conditions.FavourId}");

            // Asker solves the proof of work the conditions commit to.
            var challenge = FavourChallenge.For(conditions, ask.SignedRequest.PayloadHash, middleman.PublicKey);
            var solution = await PowSolver.SolveAsync(challenge.ComputeChallengeHash(), difficulty, Environment.ProcessorCount, cancel);
            hashes += solution.HashesTried;
            var broadcast = (Broadcast)RoundTrip(new Broadcast(conditions.FavourId, current, new PowProof(solution.Nonce), hopsRemaining, pathFee));
            var proof = FavourProofVerifier.Verify(issued, broadcast, now);
            if (!proof.IsValid) throw new CliException($"middleman {index} refused the broadcast: {proof}");
            log($"middleman {index}: broadcast accepted (nonce {solution.Nonce}, {solution.HashesTried:N0} hashes), relaying");
            hopsRemaining = broadcast.HopsRemaining - 1;
            pathFee = broadcast.PathFeeMsat + 1_000;
        }

        // Replier: the driver's area covers the pickup; it seals its offer.
        if (!topic.PickupWithin(driverCert.Body.Property("area")!))
            throw new CliException("driver's area does not cover the pickup");
        var sealedReply = ReplySealer.Seal(request, "Toyota Prius, 4 seats, 6 minutes away", "127.0.0.1:9735", 25_000_000, driverCert, driverKey);
        log($"replier: offer sealed, price {sealedReply.PriceMsat / 1000} sat, payment hash {sealedReply.PaymentHash}");
        var reply = (Reply)RoundTrip(sealedReply.ToFrame("lnbcrt-demo-invoice"));
        foreach (var index in Enumerable.Range(1, middlemen.Length).Reverse())
        {
            reply = (Reply)RoundTrip(reply with { Invoice = $"lnbcrt-demo-invoice-middleman-{index}" });
            log($"middleman {index}: reply carried back (sealed: {reply.SealedHeader.Length} + {reply.SealedBody.Length} bytes)");
        }

        // Originator: check before paying, pay (the preimage comes back), open, validate directly.
        var header = ReplyOpener.OpenHeader(reply, replyKey, trusted, now);
        log($"originator: offer from certified '{header.ReplierCertificate.Body.Name}', commitment verified; paying {(sealedReply.PriceMsat + pathFee) / 1000} sat in total");
        var thankYou = (ThankYou)RoundTrip(new ThankYou(reply.PayloadId, sealedReply.Preimage));
        var body = ReplyOpener.OpenBody(reply, replyKey, thankYou.PaymentPreimage, request);
        log($"originator: reply opened: \"{body.Message}\" at {body.ContactAddress}");
        var validate = (Validate)RoundTrip(ReplyOpener.Validation(reply, thankYou.PaymentPreimage));
        var ack = (Ack)RoundTrip(ReplySealer.Acknowledge(validate, sealedReply, driverKey));
        var confirmed = ReplyOpener.AckConfirms(ack, reply, header);
        log(confirmed ? "originator: replier acknowledged directly: the reply was not tampered with" : "originator: ACK DID NOT CONFIRM");
        return new DemoSummary(middlemen.Length, hashes, body.Message, confirmed);
    }

    private static Frame RoundTrip(Frame frame) => FrameCodec.Decode(FrameCodec.Encode(frame));
}
