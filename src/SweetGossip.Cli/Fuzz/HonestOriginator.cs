using System.Collections.Concurrent;
using System.Net;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Validation;

namespace SweetGossip.Cli.Fuzz;

/// <summary>
/// The honest peer upstream of the target: asks it a favour for each honest topic, answers its proof-of-work
/// conditions with the broadcast (solved off the link's reader), and re-asks what a drop may have lost. It notes
/// what the target asked of it (the hardest difficulty, conditions it cannot pay) and the replies that reach it:
/// replies the fuzzer sent for its topics and the target passed upstream.
/// </summary>
public sealed class HonestOriginator(EndPoint target, PublicKey? expected, PrivateKey key, TimeSpan timeout, FuzzMaterial material)
    : HonestPeer("originator", target, expected, key, timeout)
{
    /// <summary>What the originator puts in its broadcasts: the protocol's usual hop budget, no path fee yet.</summary>
    private const int Hops = 8;

    /// <summary>Harder conditions are left unanswered: about 2^28 hashes is the most an honest phone would spend.</summary>
    private const int MaxDifficulty = 28;

    private readonly ConcurrentDictionary<AskId, int> _asked = new();
    private readonly ConcurrentDictionary<int, DateTimeOffset> _originatedAt = new();
    private readonly ConcurrentDictionary<int, bool> _broadcast = new();
    private int _hardest;
    private int _unpayable;
    private int _replies;

    /// <summary>When each honest topic (by index) was first asked about.</summary>
    public IReadOnlyDictionary<int, DateTimeOffset> OriginatedAt => _originatedAt;

    public int HardestDifficulty => Volatile.Read(ref _hardest);

    /// <summary>Lightning conditions: an honest raw originator has no wallet, so these topics stop here.</summary>
    public int UnpayableConditions => Volatile.Read(ref _unpayable);

    public int RepliesReceived => Volatile.Read(ref _replies);

    /// <summary>Asks the target a favour for honest topic <paramref name="index"/>.</summary>
    public Task OriginateAsync(int index)
    {
        _originatedAt.TryAdd(index, DateTimeOffset.UtcNow);
        return AskAsync(index);
    }

    protected override Task OnFrameAsync(Frame frame)
    {
        switch (frame)
        {
            case PowFavourConditions conditions when _asked.TryRemove(conditions.AskId, out var index):
                InterlockedMax(ref _hardest, conditions.DifficultyBits);
                if (conditions.DifficultyBits > MaxDifficulty) break;
                // Solving blocks: keep it off the reader, which must go on draining the link.
                _ = Task.Run(() => RedeemAsync(conditions, index));
                break;
            case LightningFavourConditions conditions when _asked.TryRemove(conditions.AskId, out _):
                Interlocked.Increment(ref _unpayable);
                break;
            case Reply:
                Interlocked.Increment(ref _replies);
                break;
        }
        return Task.CompletedTask;
    }

    protected override async Task OnRelinkedAsync()
    {
        _asked.Clear();
        foreach (var index in _originatedAt.Keys.Where(i => !_broadcast.ContainsKey(i)).Order())
            await AskAsync(index);
    }

    private Task AskAsync(int index)
    {
        var ask = new AskForFavour(new AskId(Guid.NewGuid()), material.Honest[index]);
        _asked[ask.AskId] = index;
        return SendAsync(ask);
    }

    private async Task RedeemAsync(PowFavourConditions conditions, int index)
    {
        if (Target is not { } relay) return;
        var request = material.Honest[index];
        var challenge = FavourChallenge.For(conditions, request.PayloadHash, relay);
        var nonce = PowSolver.Solve(challenge.ComputeChallengeHash(), conditions.DifficultyBits, 0, ulong.MaxValue, CancellationToken.None).Nonce;
        _broadcast.TryAdd(index, true);
        await SendAsync(new Broadcast(conditions.FavourId, request, new PowProof(nonce), Hops, 0));
    }

    private static void InterlockedMax(ref int location, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref location)) < value && Interlocked.CompareExchange(ref location, value, seen) != seen)
        {
        }
    }
}
