using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Transport;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Cli.Fuzz;

/// <summary>
/// The fuzz run's script: draws each shot (<see cref="FuzzMix"/>) and everything in it from one seeded
/// <see cref="Random"/>. It never looks at what the node answers, only at how many honest topics the run has
/// originated so far (itself a function of the shots drawn), so the same seed and epoch give the same shots.
/// Not thread-safe.
/// </summary>
public sealed class FuzzPlan
{
    private const int RecentFrames = 64;

    /// <summary>Record overhead on the wire: the length header and the AEAD tag.</summary>
    private const int RecordOverhead = LengthPrefix.HeaderBytes + LinkProtocol.TagBytes;

    private readonly Random _random;
    private readonly ValidFrames _frames;
    private readonly List<byte[]> _recent = [];
    private readonly Entropy _signing;
    private readonly HashSet<PayloadId> _honest;
    private readonly int _honestCount;

    public FuzzPlan(int seed, FuzzMaterial material)
    {
        _random = new Random(seed);
        _frames = new ValidFrames(material);
        _signing = Entropy.Seeded(seed ^ 0x5eed);
        _honest = material.Honest.Select(r => r.Payload.PayloadId).ToHashSet();
        _honestCount = material.Honest.Count;
    }

    /// <summary>
    /// The next shot, of at most <paramref name="maxFrames"/> records (at least 1).
    /// <paramref name="honestOriginated"/>: honest topics originated so far, whose payload ids the shot may use.
    /// </summary>
    public FuzzShot Next(int honestOriginated, int maxFrames)
    {
        if (maxFrames < 1) throw new ArgumentOutOfRangeException(nameof(maxFrames), "a shot writes at least one record");
        // Requests signed while drawing (fresh asks) take their BIP-340 auxiliary bytes from the seed too.
        using var _ = FreshRandomness.ReplaceOnThisThread(_signing);
        honestOriginated = Math.Clamp(honestOriginated, 0, _honestCount);
        while (true)
        {
            var mutation = FuzzMix.Draw(_random);
            if (Draw(mutation, honestOriginated, maxFrames) is { } shot) return shot;
        }
    }

    private FuzzShot? Draw(FuzzMutation mutation, int honest, int maxFrames)
    {
        switch (mutation)
        {
            case FuzzMutation.RecordBitFlip:
            {
                var (variant, frame) = Base(honest);
                var damage = new RecordDamage(RecordDamageKind.BitFlip, (uint)_random.Next((frame.Length + RecordOverhead) * 8));
                return new FuzzShot(mutation, variant, [new ShotRecord(frame, damage)], EffectOfBitFlip(damage.Value, frame.Length));
            }
            case FuzzMutation.RecordTruncation:
            {
                var (variant, frame) = Base(honest);
                var recordLength = frame.Length + RecordOverhead;
                var keep = _random.Next(1, recordLength);
                var cut = new ShotRecord(frame, new RecordDamage(RecordDamageKind.Truncate, (uint)keep));
                switch (_random.Next(3))
                {
                    case 0:
                        return new FuzzShot(mutation, "then_silence", [cut], LinkEffect.Stalled);
                    case 1:
                        return new FuzzShot(mutation, "then_hang_up", [cut], LinkEffect.HangUp);
                    default:
                        // The next records' bytes are read as the rest of the cut one, whose tag then fails. A cut inside
                        // the length header would make a length of mixed bytes: that case is left to the bit flips.
                        if (keep < LengthPrefix.HeaderBytes) keep = LengthPrefix.HeaderBytes;
                        return FollowedUp(recordLength - keep, maxFrames - 1, honest) is { } next
                            ? new FuzzShot(mutation, "then_next_records", [new ShotRecord(frame, new RecordDamage(RecordDamageKind.Truncate, (uint)keep)), .. next], LinkEffect.Poisoned)
                            : null;
                }
            }
            case FuzzMutation.RecordLengthLie:
            {
                var (_, frame) = Base(honest);
                var sealedLength = (uint)(frame.Length + LinkProtocol.TagBytes);
                var (variant, declared) = _random.Next(5) switch
                {
                    0 => ("above_limit", (uint)_random.NextInt64(LinkProtocol.MaxRecordBytes + 1L, uint.MaxValue + 1L)),
                    1 => ("below_tag", (uint)_random.Next(LinkProtocol.TagBytes)),
                    2 => ("shorter", sealedLength - (uint)_random.Next(1, (int)Math.Min(sealedLength - LinkProtocol.TagBytes + 1, 64))),
                    3 => ("longer_then_silence", sealedLength + (uint)_random.Next(1, 64)),
                    _ => ("longer_then_next_records", sealedLength + (uint)_random.Next(1, 64)),
                };
                if (variant == "shorter" && declared == sealedLength) declared--;
                var lie = new ShotRecord(frame, new RecordDamage(RecordDamageKind.LengthLie, declared));
                return variant switch
                {
                    "longer_then_silence" => new FuzzShot(mutation, variant, [lie], LinkEffect.Stalled),
                    "longer_then_next_records" => FollowedUp((int)(declared - sealedLength), maxFrames - 1, honest) is { } next
                        ? new FuzzShot(mutation, variant, [lie, .. next], LinkEffect.Poisoned)
                        : null,
                    // Shorter: the node reads that many bytes as the record, and its tag fails.
                    _ => new FuzzShot(mutation, variant, [lie], LinkEffect.Poisoned),
                };
            }
            case FuzzMutation.RecordReplay:
            {
                if (maxFrames < 2) return null;
                var (_, frame) = Base(honest);
                // A record written on an earlier link is sealed under other keys; one from this link, under an old counter.
                return _random.Next(2) == 0
                    ? new FuzzShot(mutation, "same_link", [new ShotRecord(frame), ShotRecord.Replayed(1 + _random.Next(3))], LinkEffect.Poisoned)
                    : new FuzzShot(mutation, "earlier_link", [new ShotRecord(frame), ShotRecord.Replayed(-1 - _random.Next(3))], LinkEffect.Poisoned);
            }
            case FuzzMutation.RecordReorder:
            {
                if (maxFrames < 2) return null;
                return new FuzzShot(mutation, "two_records_swapped", [new ShotRecord(Base(honest).Bytes), new ShotRecord(Base(honest).Bytes)], LinkEffect.Poisoned, WriteReversed: true);
            }
            case FuzzMutation.FrameBitFlip:
            {
                var (variant, frame) = Base(honest);
                return Frame(mutation, variant, FrameMutator.FlipBits(_random, frame));
            }
            case FuzzMutation.FrameTruncation:
            {
                var (variant, frame) = Base(honest);
                return Frame(mutation, variant, FrameMutator.Truncate(_random, frame));
            }
            case FuzzMutation.FrameLengthLie:
            {
                var (variant, frame) = Base(honest);
                return FrameMutator.LieAboutLength(_random, frame) is { } lie ? Frame(mutation, $"{variant}/{lie.How}", lie.Bytes) : null;
            }
            case FuzzMutation.SwappedFields:
            {
                var (variant, frame) = Base(honest);
                var donor = _recent.Count > 0 ? _recent[_random.Next(_recent.Count)] : null;
                return FrameMutator.SwapFields(_random, frame, donor) is { } swapped ? Frame(mutation, $"{variant}/{swapped.How}", swapped.Bytes) : null;
            }
            case FuzzMutation.Garbage:
                return Frame(mutation, "random_bytes", FrameMutator.Garbage(_random));
            case FuzzMutation.Replay:
            {
                if (_recent.Count > 0 && _random.Next(2) == 0)
                    return Frame(mutation, "recent_frame", _recent[_random.Next(_recent.Count)]);
                var (variant, frame) = _frames.HonestLike(_random, honest);
                return Frame(mutation, variant, Remember(FrameCodec.Encode(frame)));
            }
            case FuzzMutation.OutOfOrder:
            {
                var (variant, frame) = _frames.OutOfOrder(_random, honest);
                return Frame(mutation, variant, Remember(FrameCodec.Encode(frame)));
            }
            case FuzzMutation.Flood:
            {
                var count = Math.Min(maxFrames, _random.Next(50, 600));
                var (variant, frame) = _frames.FloodFrame(_random, honest);
                var records = new List<ShotRecord>(count);
                for (var i = 0; i < count; i++)
                {
                    records.Add(new ShotRecord(frame is null ? [] : FrameCodec.Encode(frame)));
                    frame = _frames.Again(_random, variant, frame);
                }
                return new FuzzShot(mutation, variant, records, LinkEffect.Continue);
            }
            case FuzzMutation.Handshake:
            {
                var act = _random.Next(2) == 0 ? 1 : 3;
                var length = act == 1 ? LinkProtocol.Act1Bytes : LinkProtocol.Act3Bytes;
                var keep = _random.Next(3) == 0 ? _random.Next(0, length + LengthPrefix.HeaderBytes) : (int?)null;
                return new FuzzShot(mutation, keep is null ? $"act{act}_bit_flip" : $"act{act}_cut", [], LinkEffect.HangUp,
                    Handshake: new HandshakeDamage(act, (uint)_random.Next((length + LengthPrefix.HeaderBytes) * 8), keep));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(mutation), mutation, "no shot for this mutation");
        }
    }

    /// <summary>Intact records of at least <paramref name="bytes"/> bytes in all (at most <paramref name="maxRecords"/> of them), or null.</summary>
    private List<ShotRecord>? FollowedUp(int bytes, int maxRecords, int honest)
    {
        var records = new List<ShotRecord>();
        for (var covered = 0; covered < bytes; covered += records[^1].Plaintext.Length + RecordOverhead)
        {
            if (records.Count == maxRecords) return null;
            records.Add(new ShotRecord(Base(honest).Bytes));
        }
        return records.Count > 0 ? records : null;
    }

    /// <summary>A valid frame to damage, named by its kind.</summary>
    private (string Variant, byte[] Bytes) Base(int honest)
    {
        var (variant, frame) = _frames.Any(_random, honest);
        return (variant, Remember(FrameCodec.Encode(frame)));
    }

    private FuzzShot Frame(FuzzMutation mutation, string variant, byte[] frame)
    {
        frame = frame.Length == 0 ? [0] : frame; // an empty record is a keepalive, not a frame
        return new(mutation, variant, [new ShotRecord(frame)], LinkEffect.Continue, Offences: IsOffence(variant, frame) ? 1 : 0);
    }

    /// <summary>Variants every node refuses once decoded: an authority nobody trusts, conditions for an ask never made.</summary>
    private static readonly HashSet<string> RefusedVariants = new(StringComparer.Ordinal)
    {
        "ask_untrusted_authority", "pow_conditions_unknown_ask", "lightning_conditions_unknown_ask",
    };

    /// <summary>
    /// A frame any node must refuse: the protocol's own decoder refuses it, or its variant is refused once decoded.
    /// Not one whose payload id can be read without decoding and is an honest topic's: a node drops an ask or
    /// broadcast for a payload it has seen before decoding it, whatever else is wrong with it.
    /// </summary>
    private bool IsOffence(string variant, byte[] frame)
    {
        if (PayloadIdPeek.TryRead(frame, out var payload, out _) && _honest.Contains(payload)) return false;
        try
        {
            FrameCodec.Decode(frame);
        }
        catch (FrameFormatException)
        {
            return true;
        }
        return RefusedVariants.Contains(variant);
    }

    /// <summary>Well-formed frames drawn so far (the last few): what replays and field transplants take from.</summary>
    private byte[] Remember(byte[] frame)
    {
        if (_recent.Count == RecentFrames) _recent.RemoveAt(_random.Next(RecentFrames));
        _recent.Add(frame);
        return frame;
    }

    /// <summary>A flipped bit of the length header changes the declared length; anywhere else the tag fails.</summary>
    private static LinkEffect EffectOfBitFlip(uint bit, int frameLength)
    {
        if (bit >= LengthPrefix.HeaderBytes * 8) return LinkEffect.Poisoned;
        var sealedLength = (uint)(frameLength + LinkProtocol.TagBytes);
        var byteIndex = (int)(bit / 8);
        var declared = sealedLength ^ (1u << (8 * (LengthPrefix.HeaderBytes - 1 - byteIndex) + (int)(bit % 8)));
        // Longer but within the limit: the node waits for bytes that never come.
        return declared > sealedLength && declared <= LinkProtocol.MaxRecordBytes ? LinkEffect.Stalled : LinkEffect.Poisoned;
    }
}
