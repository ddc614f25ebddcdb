using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Topics;

/// <summary>What to do with a favour's conditions.</summary>
public abstract record AskDecision
{
    public sealed record SolvePow(PowFavourConditions Conditions, double ExpectedHashes) : AskDecision;

    public sealed record Pay(LightningFavourConditions Conditions) : AskDecision;

    /// <summary>Not taken (too hard, too dear, over the topic's allowance); another peer may be asked instead.</summary>
    public sealed record Decline(string Reason) : AskDecision;

    /// <summary>Conditions this topic did not ask that peer for: the peer is scored.</summary>
    public sealed record Unasked(string Reason) : AskDecision;
}

/// <summary>
/// The asking half of a topic, with no I/O: which peers were asked, what their conditions cost against the topic's
/// <see cref="SpendAllowance"/>, which asks timed out or were declined, and how many more peers to ask so that up to
/// <c>fanout</c> favours are done, never sending more than <c>maxAsks</c> asks in all.
/// </summary>
public sealed class TopicAsks(int fanout, int maxAsks, TimeSpan askTimeout, int maxAcceptedBits, ulong maxFavourPriceMsat, SpendAllowance allowance)
{
    private readonly Dictionary<PublicKey, Ask> _asks = [];
    private int _pending;
    private int _working;
    private int _done;
    // Silent peers keep their slot: silence is how a peer that has the topic answers.
    private int _silent;

    public int Asked => _asks.Count;

    public int Done => _done;

    /// <summary>Every peer asked so far (each is asked once per topic).</summary>
    public IEnumerable<PublicKey> AskedPeers => _asks.Keys;

    /// <summary>The ids of every ask sent.</summary>
    public IReadOnlyList<AskId> AskIds => _asks.Values.Select(a => a.AskId).ToList();

    public SpendAllowance Allowance => allowance;

    /// <summary>No ask waits for conditions and no favour is being worked on: the relay phase is over (until more peers are asked).</summary>
    public bool Settled => _pending == 0 && _working == 0;

    /// <summary>How many more peers to ask now: enough for the favours still missing, within the ask budget.</summary>
    public int Wanted => Math.Max(0, Math.Min(fanout - _done - _working - _pending - _silent, maxAsks - _asks.Count));

    public void Sent(PublicKey peer, AskId askId, DateTimeOffset now)
    {
        if (_asks.ContainsKey(peer)) return;
        _asks[peer] = new Ask(askId, now + askTimeout);
        _pending++;
    }

    public AskDecision OnConditions(PublicKey peer, FavourConditions conditions, DateTimeOffset now)
    {
        if (!_asks.TryGetValue(peer, out var ask) || ask.AskId != conditions.AskId)
            return new AskDecision.Unasked($"conditions for ask {conditions.AskId}, which this topic did not send it");
        if (ask.State is not (AskState.Pending or AskState.TimedOut))
            return new AskDecision.Unasked($"conditions for ask {conditions.AskId} again (it is {ask.State})");
        // A late answer is still taken: the silent ask kept its slot (it was not replaced), so honouring it costs nothing more.
        if (ask.State == AskState.TimedOut) _silent--;
        else _pending--;
        var decision = Decide(conditions);
        if (decision is AskDecision.Decline) ask.State = AskState.Declined;
        else { ask.State = AskState.Working; _working++; }
        return decision;
    }

    private AskDecision Decide(FavourConditions conditions)
    {
        switch (conditions)
        {
            case PowFavourConditions pow:
                if (pow.Scheme != PowSchemes.Sha256) return new AskDecision.Decline($"unknown proof-of-work scheme {pow.Scheme}");
                if (pow.DifficultyBits > maxAcceptedBits) return new AskDecision.Decline($"{pow.DifficultyBits} bits, above the {maxAcceptedBits} this node solves");
                var hashes = PowVerifier.ExpectedHashes(pow.DifficultyBits);
                if (!allowance.TrySpendHashes(hashes))
                    return new AskDecision.Decline($"{pow.DifficultyBits} bits ({hashes:0} hashes) exceed what is left of the topic's allowance ({allowance.HashesLeft:0})");
                return new AskDecision.SolvePow(pow, hashes);
            case LightningFavourConditions lightning:
                if (lightning.PriceMsat > maxFavourPriceMsat) return new AskDecision.Decline($"price {lightning.PriceMsat} msat, above the {maxFavourPriceMsat} this node pays");
                if (!allowance.TrySpendMsat(lightning.PriceMsat))
                    return new AskDecision.Decline($"price {lightning.PriceMsat} msat exceeds what is left of the topic's allowance ({allowance.MsatLeft:0} msat)");
                return new AskDecision.Pay(lightning);
            default:
                return new AskDecision.Decline($"conditions of kind {conditions.Name}");
        }
    }

    /// <summary>The favour was done (the broadcast went out).</summary>
    public void Succeeded(PublicKey peer) => Finish(peer, AskState.Done);

    /// <summary>The favour could not be done (proof abandoned, payment failed); what was reserved is refunded.</summary>
    public void Failed(PublicKey peer, double refundHashes = 0, ulong refundMsat = 0)
    {
        if (Finish(peer, AskState.Failed))
        {
            allowance.RefundHashes(refundHashes);
            allowance.RefundMsat(refundMsat);
        }
    }

    /// <summary>Asks unanswered past their deadline, given up now: not replaced (their peers have the topic, most likely).</summary>
    public IReadOnlyList<PublicKey> TimeOut(DateTimeOffset now)
    {
        List<PublicKey>? expired = null;
        foreach (var (peer, ask) in _asks)
            if (ask.State == AskState.Pending && ask.Deadline <= now)
                (expired ??= []).Add(peer);
        foreach (var peer in expired ?? [])
        {
            _asks[peer].State = AskState.TimedOut;
            _pending--;
            _silent++;
        }
        return expired ?? [];
    }

    /// <summary>The earliest deadline of an ask still waiting, if any.</summary>
    public DateTimeOffset? NextDeadline()
    {
        DateTimeOffset? next = null;
        foreach (var ask in _asks.Values)
            if (ask.State == AskState.Pending && (next is null || ask.Deadline < next)) next = ask.Deadline;
        return next;
    }

    private bool Finish(PublicKey peer, AskState state)
    {
        if (!_asks.TryGetValue(peer, out var ask) || ask.State != AskState.Working) return false;
        ask.State = state;
        _working--;
        if (state == AskState.Done) _done++;
        return true;
    }

    private enum AskState { Pending, Working, Done, Declined, TimedOut, Failed }

    private sealed class Ask(AskId askId, DateTimeOffset deadline)
    {
        public AskId AskId { get; } = askId;
        public DateTimeOffset Deadline { get; } = deadline;
        public AskState State { get; set; } = AskState.Pending;
    }
}
