using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Validation;
using SweetGossip.Protocol.Tests.Support;

namespace SweetGossip.Protocol.Tests.Gossip;

public class FavourBookTests
{
    private readonly TestWorld _world = new();
    private static readonly DateTimeOffset Now = TestWorld.Now;
    private readonly PublicKey _asker = PrivateKey.Generate().PublicKey;

    private static Broadcast Solve(PowFavourConditions conditions, SignedRequestPayload request, PublicKey issuer)
    {
        var challenge = FavourChallenge.For(conditions, request.PayloadHash, issuer);
        var nonce = PowSolver.Solve(challenge.ComputeChallengeHash(), conditions.DifficultyBits, 0, ulong.MaxValue, CancellationToken.None).Nonce;
        return new Broadcast(conditions.FavourId, request, new PowProof(nonce), 3, 0);
    }

    [Fact]
    public void A_favour_is_redeemed_once_by_the_peer_it_was_granted_to()
    {
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, TimeSpan.FromMinutes(5), 100);
        var ask = new AskForFavour(AskId.New(), _world.Request());
        var conditions = book.GrantPow(ask, _asker, 8, Now)!;
        var broadcast = Solve(conditions, ask.SignedRequest, _world.MiddlemanKey.PublicKey);

        Assert.Contains("another peer", book.Redeem(broadcast, PrivateKey.Generate().PublicKey, Now).Reason);
        Assert.True(book.Redeem(broadcast, _asker, Now).IsValid);
        Assert.Contains("already used", book.Redeem(broadcast, _asker, Now).Reason); // replay
        Assert.Equal(0, book.OpenCount);
    }

    [Fact]
    public void Expired_favours_are_forgotten_and_a_full_book_grants_nothing()
    {
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, TimeSpan.FromMinutes(5), 2);
        var request = _world.Request();
        Assert.NotNull(book.GrantPow(new AskForFavour(AskId.New(), request), _asker, 8, Now));
        Assert.NotNull(book.GrantPow(new AskForFavour(AskId.New(), request), _asker, 8, Now));
        Assert.Null(book.GrantPow(new AskForFavour(AskId.New(), request), _asker, 8, Now));
        Assert.NotNull(book.GrantPow(new AskForFavour(AskId.New(), request), _asker, 8, Now.AddMinutes(6)));
        Assert.Equal(1, book.OpenCount);
    }

    [Fact]
    public void A_broadcast_must_carry_the_very_signed_request_of_the_ask()
    {
        var book = new FavourBook(_world.MiddlemanKey.PublicKey, TimeSpan.FromMinutes(5), 100);
        var payload = _world.Payload();
        var asked = SignedRequestPayload.Sign(payload, _world.OriginatorKey);
        var resigned = SignedRequestPayload.Sign(payload, _world.OriginatorKey);
        Assert.Equal(asked.PayloadBytes, resigned.PayloadBytes);
        Assert.NotEqual(asked.OriginatorSignature, resigned.OriginatorSignature);

        var conditions = book.GrantPow(new AskForFavour(AskId.New(), asked), _asker, 8, Now)!;
        var broadcast = Solve(conditions, asked, _world.MiddlemanKey.PublicKey);
        Assert.Contains("another signature", book.Redeem(broadcast with { SignedRequest = resigned }, _asker, Now).Reason);
        Assert.True(book.Redeem(broadcast, _asker, Now).IsValid);
    }
}
