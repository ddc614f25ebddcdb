using System.Buffers.Binary;
using FsCheck.Xunit;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Transport;
using SweetGossip.Protocol.Wire;
using static SweetGossip.Protocol.Tests.Transport.HandshakeHarness;

namespace SweetGossip.Protocol.Tests.Transport;

public class LinkHandshakeTests
{
    private static readonly PrivateKey Alice = PrivateKey.Generate();
    private static readonly PrivateKey Bob = PrivateKey.Generate();

    [Property(MaxTest = 30)]
    public void Handshake_and_frames_in_random_chunks_both_ways(int seed, bool initiatorKnowsResponder)
    {
        var random = new Random(seed);
        var maxChunk = random.Next(1, 200);
        var initiator = new LinkEnd(LinkHandshake.Initiator(Alice, initiatorKnowsResponder ? Bob.PublicKey : null));
        var responder = new LinkEnd(LinkHandshake.Responder(Bob));

        var act2 = responder.Feed(initiator.Handshake.Start(), random, maxChunk);
        var act3 = initiator.Feed(act2, random, maxChunk);
        Assert.Null(responder.Link);
        var link = Assert.IsType<SecureLink>(initiator.Link);

        // The initiator may send right after act3; those records arrive in the same stream.
        var toResponder = RandomFrames(random);
        responder.Feed([.. act3, .. toResponder.SelectMany(f => link.Seal(f))], random, maxChunk);
        var back = Assert.IsType<SecureLink>(responder.Link);
        var toInitiator = RandomFrames(random);
        initiator.Feed([.. toInitiator.SelectMany(f => back.Seal(f))], random, maxChunk);

        Assert.Equal(Bob.PublicKey, link.RemoteIdentity);
        Assert.Equal(Alice.PublicKey, back.RemoteIdentity);
        Assert.Equal(toResponder, responder.Frames);
        Assert.Equal(toInitiator, initiator.Frames);
        Assert.Equal(0, link.PendingBytes + back.PendingBytes);
    }

    [Fact]
    public void Fixed_keys_give_identical_acts_of_the_documented_sizes()
    {
        var first = FixedActs();
        var second = FixedActs();

        Assert.Equal(4 + 33, first.Act1.Length);
        Assert.Equal(4 + 145, first.Act2.Length);
        Assert.Equal(4 + 112, first.Act3.Length);
        Assert.Equal(first.Act1, second.Act1);
        Assert.Equal(first.Act2, second.Act2);
        Assert.Equal(first.Act3, second.Act3);
        Assert.Equal("00000021" + "01" + InitiatorEphemeral.PublicKey.ToHex(), Hex.Encode(first.Act1));
        Assert.Equal("00000091" + "01" + ResponderEphemeral.PublicKey.ToHex(), Hex.Encode(first.Act2[..37]));
    }

    [Fact]
    public void Fixed_keys_reproduce_the_test_vector()
    {
        // Any change to the transcript, key derivation, signatures or record format changes these bytes.
        var (act1, act2, act3) = FixedActs();
        var initiator = FixedInitiator();
        var responder = FixedResponder();
        initiator.Start();
        responder.Receive(act1);
        var link = initiator.Receive(act2).Link!;
        var back = responder.Receive(act3).Link!;

        Assert.Equal(Vector.Act2, Hex.Encode(act2));
        Assert.Equal(Vector.Act3, Hex.Encode(act3));
        Assert.Equal(Vector.FirstRecordToResponder, Hex.Encode(link.Seal("hello"u8)));
        Assert.Equal(Vector.FirstRecordToInitiator, Hex.Encode(back.Seal("hello"u8)));
    }

    [Fact]
    public void Identities_never_appear_in_clear_on_the_wire()
    {
        var (act1, act2, act3) = FixedActs();
        byte[] wire = [.. act1, .. act2, .. act3];
        Assert.False(Contains(wire, InitiatorIdentity.PublicKey.ToBytes()));
        Assert.False(Contains(wire, ResponderIdentity.PublicKey.ToBytes()));
    }

    [Fact]
    public void Expected_responder_mismatch_is_refused_before_the_initiator_reveals_itself()
    {
        var someoneElse = PrivateKey.Generate().PublicKey;
        var initiator = LinkHandshake.Initiator(Alice, someoneElse);
        var act2 = LinkHandshake.Responder(Bob).Receive(initiator.Start()).ToSend;

        var e = Assert.Throws<LinkHandshakeException>(() => initiator.Receive(act2));
        Assert.Equal(("act2", "responder_identity"), (e.Act, e.Field));
        Assert.Equal($"is {Bob.PublicKey.ToHex()}, expected {someoneElse.ToHex()}", e.Reason);
    }

    [Fact]
    public void Connecting_to_ourselves_is_refused_by_the_initiator()
    {
        var initiator = LinkHandshake.Initiator(Alice, null);
        var act2 = LinkHandshake.Responder(Alice).Receive(initiator.Start()).ToSend;

        var e = Assert.Throws<LinkHandshakeException>(() => initiator.Receive(act2));
        Assert.Equal(("act2", "responder_identity"), (e.Act, e.Field));
        Assert.Contains("our own identity", e.Reason);
    }

    [Fact]
    public void Responder_refuses_its_own_proof_reflected_back_as_act3()
    {
        // An attacker opens a handshake with its own ephemeral, opens the responder's proof from act2
        // (it can: it holds the handshake key) and sends it back sealed as act3.
        var mallory = PrivateKey.Generate();
        var responder = LinkHandshake.Responder(Bob);
        var act1Body = ManualLeg.Act1Body(mallory);
        var act2 = Body(responder.Receive(Framed(act1Body)).ToSend);
        var leg = new ManualLeg(mallory, PublicKey.FromBytes(act2.AsSpan(1, 32)), act1Body, act2.AsSpan(0, 33));
        var bobsProof = leg.OpenAct2Proof(act2.AsSpan(33));

        var e = Assert.Throws<LinkHandshakeException>(() => responder.Receive(leg.SealAct3(bobsProof)));
        Assert.Equal(("act3", "initiator_identity"), (e.Act, e.Field));
        Assert.Contains("our own identity", e.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void Wrong_version_in_act1_is_refused(byte version)
    {
        byte[] act1 = [version, .. InitiatorEphemeral.PublicKey.Span];
        var e = Assert.Throws<LinkHandshakeException>(() => FixedResponder().Receive(Framed(act1)));
        Assert.Equal(("act1", "version"), (e.Act, e.Field));
        Assert.Equal($"unsupported version {version} (expected 1)", e.Reason);
    }

    [Fact]
    public void Wrong_version_in_act2_is_refused_even_if_its_length_differs()
    {
        var initiator = FixedInitiator();
        initiator.Start();
        var e = Assert.Throws<LinkHandshakeException>(() => initiator.Receive(Framed([2, 0, 0])));
        Assert.Equal(("act2", "version"), (e.Act, e.Field));
    }

    [Theory]
    [InlineData(513u)]
    [InlineData(65_536u)]
    [InlineData(uint.MaxValue)]
    public void Oversized_length_prefix_is_refused_from_the_header_alone(uint declared)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, declared);

        var e = Assert.Throws<LinkHandshakeException>(() => FixedResponder().Receive(header));
        Assert.Equal(("act1", "length"), (e.Act, e.Field));
        Assert.Contains($"declares {declared} bytes", e.Reason);

        var initiator = FixedInitiator();
        initiator.Start();
        Assert.Equal("act2", Assert.Throws<LinkHandshakeException>(() => initiator.Receive(header)).Act);
    }

    [Fact]
    public void Zero_length_message_is_refused()
    {
        var e = Assert.Throws<LinkHandshakeException>(() => FixedResponder().Receive(new byte[4]));
        Assert.Equal(("act1", "length"), (e.Act, e.Field));
    }

    [Fact]
    public void Truncated_or_padded_acts_are_refused()
    {
        var (act1, act2, act3) = FixedActs();

        var e1 = Assert.Throws<LinkHandshakeException>(() => FixedResponder().Receive(Framed(Body(act1)[..20])));
        Assert.Equal("act1.length: must be 33 bytes (got 20)", e1.Message);

        var initiator = FixedInitiator();
        initiator.Start();
        var e2 = Assert.Throws<LinkHandshakeException>(() => initiator.Receive(Framed([.. Body(act2), 0])));
        Assert.Equal("act2.length: must be 145 bytes (got 146)", e2.Message);

        var responder = FixedResponder();
        responder.Receive(act1);
        var e3 = Assert.Throws<LinkHandshakeException>(() => responder.Receive(Framed(Body(act3)[..111])));
        Assert.Equal("act3.length: must be 112 bytes (got 111)", e3.Message);
    }

    [Fact]
    public void Ephemeral_key_off_the_curve_is_refused()
    {
        var offCurve = Enumerable.Range(1, 100)
            .Select(x => { var b = new byte[32]; b[31] = (byte)x; return b; })
            .First(b => !PublicKey.TryFromBytes(b, out _));
        foreach (var key in new[] { offCurve, Enumerable.Repeat((byte)0xff, 32).ToArray() })
        {
            var e = Assert.Throws<LinkHandshakeException>(() => FixedResponder().Receive(Framed([1, .. key])));
            Assert.Equal(("act1", "ephemeral_key"), (e.Act, e.Field));
        }
    }

    [Fact]
    public void A_partial_message_waits_for_the_rest()
    {
        var (act1, _, _) = FixedActs();
        var responder = FixedResponder();
        foreach (var b in act1[..^1])
        {
            var step = responder.Receive([b]);
            Assert.Empty(step.ToSend);
            Assert.False(step.IsComplete);
        }
        Assert.Equal(149, responder.Receive(act1[^1..]).ToSend.Length);
    }

    [Fact]
    public void A_failed_handshake_stays_failed()
    {
        var responder = FixedResponder();
        Assert.Throws<LinkHandshakeException>(() => responder.Receive(Framed([9, 9])));
        var again = Assert.Throws<LinkHandshakeException>(() => responder.Receive(FixedActs().Act1));
        Assert.Equal("act1", again.Act);
        Assert.Contains("already failed", again.Reason);
    }

    [Fact]
    public void Misuse_of_the_api_is_an_invalid_operation()
    {
        var initiator = FixedInitiator();
        Assert.Throws<InvalidOperationException>(() => initiator.Receive([0]));
        initiator.Start();
        Assert.Throws<InvalidOperationException>(() => initiator.Start());

        var (act1, _, act3) = FixedActs();
        var responder = FixedResponder();
        Assert.Empty(responder.Start());
        responder.Receive(act1);
        Assert.True(responder.Receive(act3).IsComplete);
        Assert.Throws<InvalidOperationException>(() => responder.Receive([0]));
    }

    [Fact]
    public void Bytes_after_act3_are_handed_over_for_the_transport_phase()
    {
        var (act1, _, act3) = FixedActs();
        var responder = FixedResponder();
        responder.Receive(act1);
        var step = responder.Receive([.. act3, 7, 8, 9]);
        Assert.True(step.IsComplete);
        Assert.Equal([7, 8, 9], step.TransportBytes);
        Assert.Empty(step.ToSend);
    }

    [Property(MaxTest = 200)]
    public void Random_bytes_either_wait_or_fail_with_a_handshake_error(byte[] bytes)
    {
        try
        {
            var step = LinkHandshake.Responder(Bob).Receive(bytes);
            Assert.False(step.IsComplete);
        }
        catch (LinkHandshakeException)
        {
        }
    }

    private static byte[] Framed(byte[] body) => LengthPrefix.Wrap(body);

    private static List<byte[]> RandomFrames(Random random) =>
        Enumerable.Range(0, random.Next(0, 4)).Select(_ =>
        {
            var frame = new byte[random.Next(0, 3000)];
            random.NextBytes(frame);
            return frame;
        }).ToList();

    private static bool Contains(byte[] haystack, byte[] needle) =>
        haystack.AsSpan().IndexOf(needle) >= 0;

    // Identities 0x11…11 (initiator) and 0x22…22 (responder), ephemerals 0x33…33 and 0x44…44.
    // Checked against an independent Python implementation written from docs/protocol.md.
    private static class Vector
    {
        public const string Act2 =
            "00000091012c0b7cf95324a07d05398b240174dc0c2be444d96b159aa6c7f7b1e6686809919b2f03524fe103564cc9235122"
            + "02a7c5e389e22b107cba16ea3c7b5ea6960fba125a39de4ecce377b16a521abd256ddcd1242d1805991c0d987dc805be50f7"
            + "61ce440c47f214efa6cd591eb39786442d93d5a990ab9f989a6e28c94a4c815d8e167c2654c16edb75f963254dcc4f2d75";

        public const string Act3 =
            "0000007062c6870ae19fd4ffdd98e1086fb240571b3f4e2c23750830c4e63d19f0e0a97fed81008a17512111861a89d0deff"
            + "3a0187d16af9b14ae0f132f5cd48aad0e5fd4f269cf5e3767136b4c01b0f94125360992ba904173030f8665f4d0f72f491c3"
            + "be7bad75010ba2058fc9c24cb525876f";

        public const string FirstRecordToResponder = "00000015a3c2aec7737091440740c3269b9dd827d8535eb6c7";
        public const string FirstRecordToInitiator = "0000001525decfd51dc44dd494c3b03756d614c7f0bbe7b4a1";
    }
}
