using System.Buffers.Binary;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Dedup;

/// <summary>Fixed 24-byte records (16-byte id, 8-byte expiry in unix ms), one or many per row: compact, and no type names stored.</summary>
public sealed class SeenPayloadsSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private const int EntryBytes = 24;
    private const string SeenManifest = "ps1";
    private const string SnapshotManifest = "pss1";
    private const string BatchManifest = "psb1";

    public override int Identifier => 7302;

    public override string Manifest(object o) => o switch
    {
        PayloadSeen => SeenManifest,
        PayloadsSeen => BatchManifest,
        SeenPayloadsSnapshot => SnapshotManifest,
        _ => throw new ArgumentException($"cannot serialize {o.GetType().Name}", nameof(o)),
    };

    public override byte[] ToBinary(object obj)
    {
        IReadOnlyList<PayloadSeen> entries = obj switch
        {
            PayloadSeen seen => [seen],
            PayloadsSeen batch => batch.Entries,
            SeenPayloadsSnapshot snapshot => snapshot.Entries,
            _ => throw new ArgumentException($"cannot serialize {obj.GetType().Name}", nameof(obj)),
        };
        var bytes = new byte[entries.Count * EntryBytes];
        for (var i = 0; i < entries.Count; i++)
        {
            var slot = bytes.AsSpan(i * EntryBytes, EntryBytes);
            entries[i].PayloadId.Value.TryWriteBytes(slot[..16], bigEndian: true, out _);
            BinaryPrimitives.WriteInt64BigEndian(slot[16..], entries[i].ExpiresAt.ToUnixTimeMilliseconds());
        }
        return bytes;
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (bytes.Length % EntryBytes != 0)
            throw new SerializationException($"seen-payload record of {bytes.Length} bytes is not a multiple of {EntryBytes}");
        var entries = new List<PayloadSeen>(bytes.Length / EntryBytes);
        for (var offset = 0; offset < bytes.Length; offset += EntryBytes)
        {
            var slot = bytes.AsSpan(offset, EntryBytes);
            entries.Add(new PayloadSeen(new PayloadId(new Guid(slot[..16], bigEndian: true)),
                DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(slot[16..]))));
        }
        return manifest switch
        {
            SeenManifest when entries.Count == 1 => entries[0],
            BatchManifest when entries.Count > 0 => new PayloadsSeen(entries),
            SnapshotManifest => new SeenPayloadsSnapshot(entries),
            _ => throw new SerializationException($"unknown seen-payload manifest '{manifest}' or wrong size"),
        };
    }
}
