namespace SweetGossip.Cli.Fuzz;

/// <summary>What a fuzz shot does to the link or to the frames it carries; its JSON name is snake_case.</summary>
public enum FuzzMutation
{
    /// <summary>A bit of a sealed record flipped (length header, ciphertext or tag): authentication fails.</summary>
    RecordBitFlip,
    /// <summary>A sealed record cut short: then silence (a stall), a hang-up, or the next record run into it.</summary>
    RecordTruncation,
    /// <summary>A record's length header lies: above the limit, below the tag, or a little off.</summary>
    RecordLengthLie,
    /// <summary>A record written before (on this link or the previous one) written again, byte for byte.</summary>
    RecordReplay,
    /// <summary>Two records sealed in one order and written in the other.</summary>
    RecordReorder,
    /// <summary>Bits of a well-formed frame flipped, then sealed properly.</summary>
    FrameBitFlip,
    /// <summary>A well-formed frame cut short, then sealed properly.</summary>
    FrameTruncation,
    /// <summary>A protobuf length inside a frame (at any depth) that does not match what follows.</summary>
    FrameLengthLie,
    /// <summary>Two fields of a frame swapped, a field renumbered, or a field taken from another frame.</summary>
    SwappedFields,
    /// <summary>Random bytes as a frame.</summary>
    Garbage,
    /// <summary>A frame sent before (by the fuzzer or as an honest peer would send it) sent again, freshly sealed.</summary>
    Replay,
    /// <summary>A well-formed frame nobody asked for: broadcast without a favour, conditions for an unknown ask, a reply, ThankYou, Validate or Ack for an unknown or someone else's payload, another Lightning node id.</summary>
    OutOfOrder,
    /// <summary>Hundreds of records in one write: past the peer's rate limit.</summary>
    Flood,
    /// <summary>A damaged handshake act (bit flip or truncation); carries no frame.</summary>
    Handshake,
}

/// <summary>How often each mutation is drawn, in one place: the shares of a fuzz run's shots.</summary>
public static class FuzzMix
{
    /// <summary>Relative weights. Record damage ends a link, so it is drawn less often than frame damage.</summary>
    public static readonly IReadOnlyList<(FuzzMutation Mutation, int Weight)> Weights =
    [
        (FuzzMutation.RecordBitFlip, 40),
        (FuzzMutation.RecordTruncation, 20),
        (FuzzMutation.RecordLengthLie, 30),
        (FuzzMutation.RecordReplay, 20),
        (FuzzMutation.RecordReorder, 15),
        (FuzzMutation.FrameBitFlip, 140),
        (FuzzMutation.FrameTruncation, 80),
        (FuzzMutation.FrameLengthLie, 100),
        (FuzzMutation.SwappedFields, 120),
        (FuzzMutation.Garbage, 40),
        (FuzzMutation.Replay, 100),
        (FuzzMutation.OutOfOrder, 250),
        (FuzzMutation.Flood, 1),
        (FuzzMutation.Handshake, 10),
    ];

    private static readonly int Total = Weights.Sum(w => w.Weight);

    public static FuzzMutation Draw(Random random)
    {
        var pick = random.Next(Total);
        foreach (var (mutation, weight) in Weights)
        {
            if (pick < weight) return mutation;
            pick -= weight;
        }
        throw new InvalidOperationException("unreachable: the weights sum to Total");
    }

    /// <summary>The report's name of a mutation, e.g. record_bit_flip.</summary>
    public static string NameOf(FuzzMutation mutation) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(mutation.ToString());
}
