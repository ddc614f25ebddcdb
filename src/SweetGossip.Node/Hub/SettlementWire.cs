using System.Runtime.Serialization;
using System.Text;
using Akka.Actor;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Hub;

/// <summary>
/// The field encodings of <see cref="SettlementMessageSerializer"/>: fixed-size values raw, strings length-prefixed and
/// bounded before anything is allocated, times as UTC ticks checked against the calendar's range, enums checked defined.
/// </summary>
internal sealed class SettlementWriter
{
    private readonly MemoryStream _buffer = new();
    private readonly BinaryWriter _out;

    public SettlementWriter() => _out = new BinaryWriter(_buffer, Encoding.UTF8, leaveOpen: true);

    public byte[] ToArray()
    {
        _out.Flush();
        return _buffer.ToArray();
    }

    /// <summary>A presence flag, then the value if present.</summary>
    private SettlementWriter Optional<T>(T? value, Func<T, SettlementWriter> write) where T : struct
    {
        Flag(value.HasValue);
        return value is { } v ? write(v) : this;
    }

    public SettlementWriter Hash(Hash32 value)
    {
        Span<byte> bytes = stackalloc byte[Hash32.Length];
        value.WriteTo(bytes);
        _out.Write(bytes);
        return this;
    }

    public SettlementWriter Hash(Hash32? value) => Optional(value, Hash);

    public SettlementWriter U64(ulong value)
    {
        _out.Write(value);
        return this;
    }

    public SettlementWriter U64(ulong? value) => Optional(value, U64);

    public SettlementWriter I32(int value)
    {
        _out.Write(value);
        return this;
    }

    public SettlementWriter I32(int? value) => Optional(value, I32);

    public SettlementWriter Time(DateTimeOffset value)
    {
        _out.Write(value.UtcTicks);
        return this;
    }

    public SettlementWriter Time(DateTimeOffset? value) => Optional(value, Time);

    public SettlementWriter Span(TimeSpan value)
    {
        _out.Write(value.Ticks);
        return this;
    }

    public SettlementWriter Node(LightningNodeId value)
    {
        _out.Write(value.ToBytes());
        return this;
    }

    public SettlementWriter Node(LightningNodeId? value) => Optional(value, Node);

    /// <summary>A field that must fit (a payment request): too long is the caller's bug, so it fails.</summary>
    public SettlementWriter Text(string value, int maxBytes, string field)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length > maxBytes) throw new SerializationException($"{field} is {bytes.Length} bytes, above {maxBytes}: not sent between hub members");
        _out.Write(bytes.Length);
        _out.Write(bytes);
        return this;
    }

    /// <summary>Free text (a reason, a detail): cut to the bound rather than lose the message.</summary>
    public SettlementWriter Note(string value, int maxChars) => Text(value.Length <= maxChars ? value : value[..maxChars], maxChars * 4, "note");

    public SettlementWriter OptionalNote(string? value, int maxChars)
    {
        Flag(value is not null);
        return value is not null ? Note(value, maxChars) : this;
    }

    /// <summary>Bytes that must fit (an encoded request or frame): too long is the caller's bug, so it fails.</summary>
    public SettlementWriter Blob(byte[] value, int maxBytes, string field)
    {
        if (value.Length > maxBytes) throw new SerializationException($"{field} is {value.Length} bytes, above {maxBytes}: not sent between hub members");
        _out.Write(value.Length);
        _out.Write(value);
        return this;
    }

    public SettlementWriter Actor(IActorRef actor) => Text(Akka.Serialization.Serialization.SerializedActorPath(actor), SettlementMessageSerializer.MaxActorPathBytes, "actor path");

    public SettlementWriter Flag(bool value)
    {
        _out.Write(value);
        return this;
    }
}

internal sealed class SettlementReader(byte[] bytes, string manifest, ExtendedActorSystem system)
{
    private readonly BinaryReader _in = new(new MemoryStream(bytes, writable: false), Encoding.UTF8);

    private long Left => _in.BaseStream.Length - _in.BaseStream.Position;

    public Hash32 Hash() => Hash32.FromSpan(Take(Hash32.Length, "hash"));

    public Hash32? OptionalHash() => Flag() ? Hash() : null;

    public ulong U64() => BitConverter.ToUInt64(Take(8, "u64"));

    public ulong? OptionalU64() => Flag() ? U64() : null;

    public int I32() => BitConverter.ToInt32(Take(4, "i32"));

    public int? OptionalI32() => Flag() ? I32() : null;

    public DateTimeOffset Time()
    {
        var ticks = BitConverter.ToInt64(Take(8, "time"));
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks) throw Bad($"time {ticks} ticks is outside the calendar");
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    public DateTimeOffset? OptionalTime() => Flag() ? Time() : null;

    public TimeSpan Span()
    {
        var ticks = BitConverter.ToInt64(Take(8, "duration"));
        return ticks >= 0 ? TimeSpan.FromTicks(ticks) : throw Bad($"duration {ticks} ticks is negative");
    }

    public LightningNodeId Node() =>
        LightningNodeId.TryFromBytes(Take(LightningNodeId.Length, "node id"), out var id) ? id : throw Bad("a Lightning node id is not a compressed public key");

    public LightningNodeId? OptionalNode() => Flag() ? Node() : null;

    public string Text(int maxBytes, string field)
    {
        var length = I32();
        if (length < 0 || length > maxBytes) throw Bad($"{field} is {length} bytes, not 0..{maxBytes}");
        return Encoding.UTF8.GetString(Take(length, field));
    }

    public string? OptionalText(int maxBytes, string field) => Flag() ? Text(maxBytes, field) : null;

    /// <summary>Length-prefixed bytes, the length checked against <paramref name="maxBytes"/> before anything is allocated.</summary>
    public byte[] Blob(int maxBytes, string field)
    {
        var length = I32();
        if (length < 0 || length > maxBytes) throw Bad($"{field} is {length} bytes, not 0..{maxBytes}");
        return Take(length, field);
    }

    public IActorRef Actor() => system.Provider.ResolveActorRef(Text(SettlementMessageSerializer.MaxActorPathBytes, "actor path"));

    public T Enum<T>(string field) where T : struct, Enum
    {
        var value = I32();
        var parsed = (T)(object)value;
        return System.Enum.IsDefined(parsed) ? parsed : throw Bad($"{field} {value} is not a {typeof(T).Name}");
    }

    public T? OptionalEnum<T>(string field) where T : struct, Enum => Flag() ? Enum<T>(field) : null;

    public bool Flag() => Take(1, "flag")[0] switch
    {
        0 => false,
        1 => true,
        var b => throw Bad($"flag byte {b} is neither 0 nor 1"),
    };

    /// <summary>The message must end where its last field does: trailing bytes mean a different or forged shape.</summary>
    public T End<T>(T message) => Left == 0 ? message : throw Bad($"{Left} bytes after the last field");

    private byte[] Take(int count, string field) =>
        Left >= count ? _in.ReadBytes(count) : throw Bad($"{field} needs {count} bytes, {Left} left");

    public SerializationException Bad(string what) => new($"settlement message '{manifest}' is malformed: {what}");
}
