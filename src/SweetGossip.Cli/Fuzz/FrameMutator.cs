using SweetGossip.Protocol.Wire;

namespace SweetGossip.Cli.Fuzz;

/// <summary>
/// Damage inside a frame, which is then sealed properly, so the link's record layer lets it through and the frame
/// decoder and validators meet it: bit flips, truncation, a lying protobuf length at any depth, swapped,
/// renumbered, retyped, doubled, dropped or transplanted fields, and plain garbage. Each draws only from the
/// <see cref="Random"/> it is given. Results never exceed the frame limit (the link could not seal them).
/// </summary>
public static class FrameMutator
{
    public static byte[] FlipBits(Random random, byte[] frame)
    {
        var bytes = (byte[])frame.Clone();
        var flips = 1 + random.Next(random.Next(2) == 0 ? 1 : 8);
        for (var i = 0; i < flips; i++)
        {
            var bit = random.Next(bytes.Length * 8);
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
        }
        return bytes;
    }

    /// <summary>The first 1 .. length−1 bytes (an empty frame would be a keepalive, not a frame).</summary>
    public static byte[] Truncate(Random random, byte[] frame) =>
        frame.Length < 2 ? frame : frame[..(1 + random.Next(frame.Length - 1))];

    public static byte[] Garbage(Random random)
    {
        var length = random.Next(10) switch
        {
            0 => random.Next(1, WireLimits.MaxFrameBytes + 1),
            < 4 => random.Next(1, 16),
            _ => random.Next(1, 512),
        };
        return ValidFrames.RandomBytes(random, length);
    }

    /// <summary>One length-delimited field (at any depth) declares another length than it has; null if the frame has none.</summary>
    public static (string How, byte[] Bytes)? LieAboutLength(Random random, byte[] frame)
    {
        if (ProtoTree.Parse(frame) is not { } root) return null;
        var candidates = ProtoTree.Walk(root).Where(f => f.Parent[f.Index].WireType == 2).ToList();
        if (candidates.Count == 0) return null;
        var (parent, index) = candidates[random.Next(candidates.Count)];
        var field = parent[index];
        var actual = (ulong)(field.Children is { } children ? ProtoTree.Write(children).Length : field.Bytes.Length);
        string how;
        (how, field.LengthLie) = random.Next(5) switch
        {
            0 => ("longer", actual + (ulong)random.Next(1, 64)),
            1 => ("shorter", actual - Math.Min(actual, (ulong)random.Next(1, 64))),
            2 => ("zero", 0UL),
            3 => ("huge", (ulong)random.NextInt64(int.MaxValue, long.MaxValue)),
            _ => ("off_by_one", actual == 0 || random.Next(2) == 0 ? actual + 1 : actual - 1),
        };
        if (field.LengthLie == actual) field.LengthLie = actual + 1;
        return (how, Bounded(ProtoTree.Write(root)));
    }

    /// <summary>
    /// Fields out of place: two fields of one message swapped, a field renumbered or its wire type misstated,
    /// a field doubled or dropped, or a field's value taken from <paramref name="donor"/> (another frame of the
    /// same kind) at the same path. Null if the frame is not a message with fields to move.
    /// </summary>
    public static (string How, byte[] Bytes)? SwapFields(Random random, byte[] frame, byte[]? donor)
    {
        if (ProtoTree.Parse(frame) is not { } root) return null;
        var fields = ProtoTree.Walk(root);
        if (fields.Count == 0) return null;
        var messages = ProtoTree.Messages(root).Where(m => m.Count >= 2).ToList();
        var how = random.Next(6);
        if (how == 0 && messages.Count > 0)
        {
            var message = messages[random.Next(messages.Count)];
            var (a, b) = TwoIndices(random, message.Count);
            (message[a].Number, message[b].Number) = (message[b].Number, message[a].Number);
            // Swapping the numbers swaps which value each field name gets; the order on the wire stays as it was.
            return ("swap_two_fields", Bounded(ProtoTree.Write(root)));
        }
        var (parent, index) = fields[random.Next(fields.Count)];
        var field = parent[index];
        switch (how)
        {
            case 1:
                field.Number = Math.Max(1, field.Number + (random.Next(2) == 0 ? 1 : -1) * random.Next(1, 4));
                return ("renumber_field", Bounded(ProtoTree.Write(root)));
            case 2:
                int[] types = [0, 1, 2, 5];
                field.TagWireTypeLie = types.Where(t => t != field.WireType).ElementAt(random.Next(3));
                return ("misstate_wire_type", Bounded(ProtoTree.Write(root)));
            case 3:
                parent.Insert(index, field);
                return ("double_field", Bounded(ProtoTree.Write(root)));
            case 4:
                parent.RemoveAt(index);
                return ("drop_field", Bounded(ProtoTree.Write(root)));
            default:
                if (donor is null || ProtoTree.Parse(donor) is not { } donorRoot || ProtoTree.At(donorRoot, ProtoTree.PathOf(root, field)) is not { } given)
                    goto case 3;
                parent[index] = given;
                return ("transplant_field", Bounded(ProtoTree.Write(root)));
        }
    }

    private static (int, int) TwoIndices(Random random, int count)
    {
        var a = random.Next(count);
        var b = random.Next(count - 1);
        return (a, b >= a ? b + 1 : b);
    }

    private static byte[] Bounded(byte[] bytes) => bytes.Length <= WireLimits.MaxFrameBytes ? bytes : bytes[..WireLimits.MaxFrameBytes];
}
