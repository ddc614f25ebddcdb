using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SweetGossip.Cli.Fuzz;

/// <summary>What a shot leaves of the fuzz link, and so what the fuzzer does with it next.</summary>
public enum LinkEffect
{
    /// <summary>Records that authenticate: the link stays up unless the node's score of it drops it.</summary>
    Continue,
    /// <summary>A record that cannot authenticate or whose length is refused: the node must drop the link at once.</summary>
    Poisoned,
    /// <summary>A record left incomplete: the node holds it until a deadline (or forever); the link is parked.</summary>
    Stalled,
    /// <summary>The fuzzer closes its side after the shot.</summary>
    HangUp,
}

/// <summary>How a sealed record is damaged before it is written.</summary>
public enum RecordDamageKind
{
    /// <summary>Flip bit <see cref="RecordDamage.Value"/> (mod the record's bits).</summary>
    BitFlip,
    /// <summary>Write only the first <see cref="RecordDamage.Value"/> bytes (mod the record's length).</summary>
    Truncate,
    /// <summary>Rewrite the 4-byte length header to <see cref="RecordDamage.Value"/>.</summary>
    LengthLie,
}

public sealed record RecordDamage(RecordDamageKind Kind, uint Value)
{
    /// <summary>The damaged bytes of <paramref name="record"/> (which is left as it was).</summary>
    public byte[] Apply(byte[] record)
    {
        var bytes = (byte[])record.Clone();
        switch (Kind)
        {
            case RecordDamageKind.BitFlip:
                var bit = (int)(Value % (uint)(bytes.Length * 8));
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                return bytes;
            case RecordDamageKind.Truncate:
                return bytes[..(int)(Value % (uint)bytes.Length)];
            default:
                BinaryPrimitives.WriteUInt32BigEndian(bytes, Value);
                return bytes;
        }
    }
}

/// <summary>
/// One record of a shot: a frame's plaintext, sealed by the link (then damaged, if <see cref="Damage"/>), or —
/// when <see cref="ReplayBack"/> is above 0 — the record written that many records ago, byte for byte.
/// </summary>
public sealed record ShotRecord(byte[] Plaintext, RecordDamage? Damage = null, int ReplayBack = 0)
{
    public static ShotRecord Replayed(int back) => new([], null, back);
}

/// <summary>A damaged handshake: <see cref="Act"/> 1 or 3 with one bit flipped, or cut to <see cref="Keep"/> bytes and the connection closed.</summary>
public sealed record HandshakeDamage(int Act, uint BitFlip, int? Keep);

/// <summary>
/// One step of the fuzz plan: what the fuzz link writes next. Pure data, a function of the seed (and the run's
/// epoch, which dates the requests), so two runs with the same seed send the same frames. <see cref="Offences"/>
/// counts its frames that any node must refuse (the protocol's decoder refuses them, or they name an untrusted
/// authority or an ask nobody made): two of them are enough for a node to drop the link.
/// </summary>
public sealed record FuzzShot(FuzzMutation Mutation, string Variant, IReadOnlyList<ShotRecord> Records, LinkEffect Effect,
    bool WriteReversed = false, HandshakeDamage? Handshake = null, int Offences = 0)
{
    /// <summary>Records this shot writes; each carries one frame (a damaged one included).</summary>
    public int FrameCount => Records.Count;

    /// <summary>Adds everything the shot sends to a running digest of the plan.</summary>
    public void AddTo(IncrementalHash digest)
    {
        void Int(long value)
        {
            Span<byte> number = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(number, unchecked((int)value));
            digest.AppendData(number);
        }
        Int((int)Mutation);
        digest.AppendData(System.Text.Encoding.UTF8.GetBytes(Variant));
        Int((int)Effect);
        Int(WriteReversed ? 1 : 0);
        Int(Offences);
        Int(Handshake is null ? -1 : Handshake.Act);
        Int(Handshake?.BitFlip ?? 0);
        Int(Handshake?.Keep ?? -1);
        Int(Records.Count);
        foreach (var record in Records)
        {
            Int(record.Plaintext.Length);
            digest.AppendData(record.Plaintext);
            Int(record.Damage is null ? -1 : (int)record.Damage.Kind);
            Int(record.Damage?.Value ?? 0);
            Int(record.ReplayBack);
        }
    }
}
