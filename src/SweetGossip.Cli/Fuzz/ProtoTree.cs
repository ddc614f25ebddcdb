namespace SweetGossip.Cli.Fuzz;

/// <summary>One field of a protobuf message as the wire has it; a length-delimited value that is itself a message has <see cref="Children"/>.</summary>
public sealed class ProtoField
{
    public int Number { get; set; }

    /// <summary>0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.</summary>
    public int WireType { get; set; }

    /// <summary>The value of a varint or fixed field.</summary>
    public ulong Scalar { get; set; }

    /// <summary>The value of a length-delimited field that did not parse as a message.</summary>
    public byte[] Bytes { get; set; } = [];

    public List<ProtoField>? Children { get; set; }

    /// <summary>When set, the length written for this field instead of the true one.</summary>
    public ulong? LengthLie { get; set; }

    /// <summary>When set, the wire type written in the tag instead of the true one (the value keeps its true encoding).</summary>
    public int? TagWireTypeLie { get; set; }
}

/// <summary>
/// Protobuf messages read and written without a schema: fields in wire order, every length-delimited value read
/// again as a message when it is one (nested messages, and signed bytes that hold a message). Structure-aware
/// mutations change one thing deep inside a frame (a length, a field number, two fields' places) and write the
/// rest back with true lengths, so the frame gets past the outer checks and the damage lands where it was aimed.
/// </summary>
public static class ProtoTree
{
    private const int MaxDepth = 8;

    /// <summary>The fields of <paramref name="bytes"/>, or null when they are not a well-formed message.</summary>
    public static List<ProtoField>? Parse(ReadOnlySpan<byte> bytes) => Parse(bytes, 0);

    public static byte[] Write(List<ProtoField> fields)
    {
        using var output = new MemoryStream();
        Write(output, fields);
        return output.ToArray();
    }

    /// <summary>Every field at every depth, with the list that holds it, depth first.</summary>
    public static List<(List<ProtoField> Parent, int Index)> Walk(List<ProtoField> root)
    {
        var all = new List<(List<ProtoField>, int)>();
        void Visit(List<ProtoField> fields)
        {
            for (var i = 0; i < fields.Count; i++)
            {
                all.Add((fields, i));
                if (fields[i].Children is { } children) Visit(children);
            }
        }
        Visit(root);
        return all;
    }

    /// <summary>Every message (list of fields) at every depth, the root first.</summary>
    public static List<List<ProtoField>> Messages(List<ProtoField> root)
    {
        var all = new List<List<ProtoField>> { root };
        foreach (var (parent, index) in Walk(root))
            if (parent[index].Children is { } children) all.Add(children);
        return all;
    }

    /// <summary>The field numbers from the root to a field: the same path in another frame of the same kind names the same field.</summary>
    public static List<int> PathOf(List<ProtoField> root, ProtoField target)
    {
        var path = new List<int>();
        bool Find(List<ProtoField> fields)
        {
            foreach (var field in fields)
            {
                path.Add(field.Number);
                if (ReferenceEquals(field, target) || (field.Children is { } children && Find(children))) return true;
                path.RemoveAt(path.Count - 1);
            }
            return false;
        }
        return Find(root) ? path : [];
    }

    /// <summary>The first field along <paramref name="path"/>, or null.</summary>
    public static ProtoField? At(List<ProtoField> root, IReadOnlyList<int> path)
    {
        ProtoField? field = null;
        var fields = root;
        foreach (var number in path)
        {
            field = fields?.FirstOrDefault(f => f.Number == number);
            if (field is null) return null;
            fields = field.Children;
        }
        return field;
    }

    private static List<ProtoField>? Parse(ReadOnlySpan<byte> bytes, int depth)
    {
        var fields = new List<ProtoField>();
        var at = 0;
        while (at < bytes.Length)
        {
            if (!TryVarint(bytes, ref at, out var tag)) return null;
            var number = tag >> 3;
            var type = (int)(tag & 7);
            if (number is 0 or > 536_870_911) return null;
            var field = new ProtoField { Number = (int)number, WireType = type };
            switch (type)
            {
                case 0:
                    if (!TryVarint(bytes, ref at, out var varint)) return null;
                    field.Scalar = varint;
                    break;
                case 1:
                    if (bytes.Length - at < 8) return null;
                    field.Scalar = BitConverter.ToUInt64(bytes.Slice(at, 8));
                    at += 8;
                    break;
                case 5:
                    if (bytes.Length - at < 4) return null;
                    field.Scalar = BitConverter.ToUInt32(bytes.Slice(at, 4));
                    at += 4;
                    break;
                case 2:
                    if (!TryVarint(bytes, ref at, out var length) || length > (ulong)(bytes.Length - at)) return null;
                    var value = bytes.Slice(at, (int)length);
                    at += (int)length;
                    if (depth < MaxDepth && value.Length > 0 && Parse(value, depth + 1) is { } children) field.Children = children;
                    else field.Bytes = value.ToArray();
                    break;
                default:
                    return null; // groups are not used by the protocol
            }
            fields.Add(field);
        }
        return fields;
    }

    private static void Write(Stream output, List<ProtoField> fields)
    {
        foreach (var field in fields)
        {
            WriteVarint(output, ((ulong)(uint)field.Number << 3) | (uint)((field.TagWireTypeLie ?? field.WireType) & 7));
            switch (field.WireType)
            {
                case 0:
                    WriteVarint(output, field.Scalar);
                    break;
                case 1:
                    output.Write(BitConverter.GetBytes(field.Scalar));
                    break;
                case 5:
                    output.Write(BitConverter.GetBytes((uint)field.Scalar));
                    break;
                default:
                    var content = field.Children is { } children ? Write(children) : field.Bytes;
                    WriteVarint(output, field.LengthLie ?? (ulong)content.Length);
                    output.Write(content);
                    break;
            }
        }
    }

    private static bool TryVarint(ReadOnlySpan<byte> bytes, ref int at, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && at < bytes.Length; shift += 7)
        {
            var b = bytes[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return true;
        }
        return false;
    }

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        output.WriteByte((byte)value);
    }
}
