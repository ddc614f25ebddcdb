using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Tests.Support;

namespace SweetGossip.Protocol.Tests.Primitives;

public class EntropyTests
{
    [Fact]
    public void Seeded_entropy_replays_the_same_ids_secrets_and_keys()
    {
        var (a, b) = (Entropy.Seeded(42), Entropy.Seeded(42));
        Assert.Equal(a.NewId(), b.NewId());
        Assert.Equal(a.NewSecret(), b.NewSecret());
        Assert.Equal(a.NewKey().PublicKey, b.NewKey().PublicKey);
        Assert.NotEqual(Entropy.Seeded(43).NewId(), Entropy.Seeded(42).NewId());
    }

    [Fact]
    public void Secure_entropy_does_not_repeat()
    {
        Assert.NotEqual(Entropy.Secure.NewId(), Entropy.Secure.NewId());
        Assert.NotEqual(Entropy.Secure.NewSecret(), Entropy.Secure.NewSecret());
    }

    [Fact]
    public void A_favour_book_on_seeded_entropy_grants_the_same_favour_ids_run_after_run()
    {
        var world = new TestWorld();
        var ask = new AskForFavour(AskId.New(), world.Request());
        FavourId Grant() => new FavourBook(world.MiddlemanKey.PublicKey, TimeSpan.FromMinutes(1), 10, Entropy.Seeded(7))
            .GrantPow(ask, world.OriginatorKey.PublicKey, 8, TestWorld.Now).Conditions!.FavourId;
        Assert.Equal(Grant(), Grant());
    }
}
