using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Google.Protobuf;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Tests.Crypto;
using SweetGossip.Protocol.Tests.Support;
using SweetGossip.Protocol.Wire;
using P = SweetGossip.Protocol.Wire.Proto;

namespace SweetGossip.Protocol.Tests.Wire;

/// <summary>The node id a peer announces for its invoices: only a real compressed secp256k1 point gets through.</summary>
public class LightningNodeAnnouncementTests
{
    [Theory]
    [InlineData(0x02)]
    [InlineData(0x03)]
    public void A_real_node_id_of_either_parity_round_trips(byte prefix)
    {
        var announcement = new LightningNodeAnnouncement(LightningNodeIds.WithPrefix(prefix));
        var decoded = FrameCodec.Decode(FrameCodec.Encode(announcement));
        Assert.Equal(announcement, decoded);
        Assert.Equal(nameof(LightningNodeAnnouncement), decoded.Name);
    }

    [Fact]
    public void Wire_encoding_is_envelope_field_17_holding_node_id_as_field_1()
    {
        var nodeId = LightningNodeIds.Of(PrivateKey.Generate());
        var bytes = FrameCodec.Encode(new LightningNodeAnnouncement(nodeId));
        // version = 1 | field 17, length-delimited, 35 bytes | field 1, length-delimited, 33 bytes | node id
        byte[] header = [0x08, 0x01, 0x8a, 0x01, 0x23, 0x0a, 0x21];
        Assert.Equal(header.Concat(nodeId.ToArray()), bytes);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(34)]
    [InlineData(65)] // an uncompressed point
    public void Wrong_length_is_named(int length)
    {
        var nodeId = new byte[length];
        nodeId[0] = 0x02;
        Assert.Equal($"LightningNodeAnnouncement.node_id: must be 33 bytes (got {length})", Reject(nodeId).Message);
    }

    [Fact]
    public void Missing_node_id_is_named()
    {
        Assert.Equal("LightningNodeAnnouncement.node_id: is missing", Reject([]).Message);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x04)] // uncompressed prefix
    [InlineData(0x06)] // hybrid prefixes
    [InlineData(0x07)]
    [InlineData(0xff)]
    public void Prefix_other_than_02_or_03_is_named(byte prefix)
    {
        var nodeId = LightningNodeIds.Of(PrivateKey.Generate()).ToArray();
        nodeId[0] = prefix;
        var e = Reject(nodeId);
        Assert.Equal(("LightningNodeAnnouncement", "node_id"), (e.Frame, e.Field));
        Assert.Equal($"must start with 02 or 03, a compressed secp256k1 point (got {prefix:x2})", e.Reason);
    }

    [Theory]
    [InlineData(0x02)]
    [InlineData(0x03)]
    public void X_coordinate_not_on_the_curve_is_named(byte prefix)
    {
        var nodeId = new byte[33];
        nodeId[0] = prefix;
        XWithoutPoint().CopyTo(nodeId, 1);
        Assert.Equal("LightningNodeAnnouncement.node_id: x-coordinate is not on the secp256k1 curve", Reject(nodeId).Message);
    }

    [Fact]
    public void X_coordinate_at_or_above_the_field_prime_is_named()
    {
        var atP = new byte[33];
        atP[0] = 0x02;
        Secp256k1.P.CopyTo(atP.AsSpan(1));
        var allOnes = Enumerable.Repeat((byte)0xff, 33).ToArray();
        allOnes[0] = 0x03;
        foreach (var nodeId in new[] { atP, allOnes })
            Assert.Equal("LightningNodeAnnouncement.node_id: x-coordinate is not less than the field prime p", Reject(nodeId).Message);
    }

    [Property(MaxTest = 300)]
    public Property Any_33_bytes_with_a_compressed_prefix_decode_exactly_when_they_are_a_curve_point() =>
        Prop.ForAll(Gen.Elements<byte>(0x02, 0x03).ToArbitrary(), Gen.Choose(0, 255).ArrayOf(32).ToArbitrary(), (prefix, x) =>
        {
            byte[] nodeId = [prefix, .. x.Select(i => (byte)i)];
            var onCurve = CurveOracle.HasPoint(CurveOracle.ToInteger(nodeId.AsSpan(1)));
            try
            {
                var decoded = (LightningNodeAnnouncement)FrameCodec.Decode(Envelope(nodeId).ToByteArray());
                return onCurve && decoded.NodeId.Span.SequenceEqual(nodeId);
            }
            catch (FrameFormatException e)
            {
                return !onCurve && e.Field == "node_id";
            }
        });

    /// <summary>An x below p with no point on secp256k1, found next to a real key's x (about half of all x have none).</summary>
    private static byte[] XWithoutPoint()
    {
        var x = CurveOracle.ToInteger(LightningNodeIds.Of(PrivateKey.Generate()).Span[1..]);
        while (CurveOracle.HasPoint(x)) x += 1;
        Assert.True(x < CurveOracle.P);
        return CurveOracle.ToBytes32(x);
    }

    private static P.Envelope Envelope(byte[] nodeId) => new()
    {
        Version = 1,
        LightningNodeAnnouncement = new P.LightningNodeAnnouncement { NodeId = ByteString.CopyFrom(nodeId) },
    };

    private static FrameFormatException Reject(byte[] nodeId) =>
        Assert.Throws<FrameFormatException>(() => FrameCodec.Decode(Envelope(nodeId).ToByteArray()));
}
