using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Transport;
using static SweetGossip.Protocol.Tests.Transport.HandshakeHarness;

namespace SweetGossip.Protocol.Tests.Transport;

public class HandshakeTamperingTests
{
    private static readonly (byte[] Act1, byte[] Act2, byte[] Act3) Acts = FixedActs();

    [Fact]
    public void Flipping_any_byte_of_act2_is_refused()
    {
        var fields = new HashSet<string>();
        for (var i = 4; i < Acts.Act2.Length; i++)
        {
            var initiator = FixedInitiator();
            initiator.Start();
            var e = Assert.Throws<LinkHandshakeException>(() => initiator.Receive(Flip(Acts.Act2, i)));
            Assert.Equal("act2", e.Act);
            fields.Add(e.Field);
        }

        // Version byte, ephemeral key (off the curve, or on it but then the AEAD fails), sealed proof.
        Assert.Subset(new HashSet<string> { "version", "ephemeral_key", "payload" }, fields);
        Assert.Contains("payload", fields);
    }

    [Fact]
    public void Flipping_any_byte_of_act3_is_refused()
    {
        for (var i = 4; i < Acts.Act3.Length; i++)
        {
            var responder = FixedResponder();
            responder.Receive(Acts.Act1);
            var e = Assert.Throws<LinkHandshakeException>(() => responder.Receive(Flip(Acts.Act3, i)));
            Assert.Equal(("act3", "payload"), (e.Act, e.Field));
        }
    }

    [Fact]
    public void Flipping_a_byte_of_act1_makes_act3_fail_at_the_responder()
    {
        // The responder answers a tampered act1 with a valid act2 for the ephemeral it received;
        // the initiator, whose transcript holds the real act1, cannot open it.
        var initiator = FixedInitiator();
        var act1 = initiator.Start();
        var tampered = Enumerable.Range(1, 255)
            .Select(mask => Flip(act1, act1.Length - 1, (byte)mask))
            .First(a => PublicKey.TryFromBytes(Body(a).AsSpan(1), out _));
        var act2 = FixedResponder().Receive(tampered).ToSend;
        Assert.Equal(("act2", "payload"), Field(Assert.Throws<LinkHandshakeException>(() => initiator.Receive(act2))));
    }

    [Fact]
    public void Man_in_the_middle_with_its_own_ephemeral_toward_the_initiator_fails_the_responder_signature()
    {
        // Mallory relays: to Bob she is an initiator with ephemeral m1, to Alice a responder with m2.
        // She can open Bob's proof and re-seal it for Alice, but Bob signed the transcript with m1, not Alice's.
        var m1 = PrivateKey.Generate();
        var m2 = PrivateKey.Generate();
        var alice = LinkHandshake.Initiator(InitiatorIdentity, ResponderIdentity.PublicKey);
        var bob = LinkHandshake.Responder(ResponderIdentity);

        var aliceAct1 = Body(alice.Start());
        var toBobAct1 = ManualLeg.Act1Body(m1);
        var bobAct2 = Body(bob.Receive(Framed(toBobAct1)).ToSend);
        var bobLeg = new ManualLeg(m1, PublicKey.FromBytes(bobAct2.AsSpan(1, 32)), toBobAct1, bobAct2.AsSpan(0, 33));
        var bobsProof = bobLeg.OpenAct2Proof(bobAct2.AsSpan(33));

        byte[] toAlicePrefix = [LinkProtocol.Version, .. m2.PublicKey.Span];
        var aliceLeg = new ManualLeg(m2, PublicKey.FromBytes(aliceAct1.AsSpan(1)), aliceAct1, toAlicePrefix);
        byte[] toAliceAct2 = [.. toAlicePrefix, .. aliceLeg.SealAct2Proof(bobsProof)];

        var e = Assert.Throws<LinkHandshakeException>(() => alice.Receive(Framed(toAliceAct2)));
        Assert.Equal(("act2", "responder_signature"), Field(e));
    }

    [Fact]
    public void Peer_relaying_another_initiators_proof_fails_the_initiator_signature()
    {
        // Alice connects to Mallory (a real peer, no expected identity). Mallory opens Alice's act3 and
        // replays Alice's identity proof into her own handshake with Bob to pass as Alice: refused,
        // because Alice signed the transcript of her leg with Mallory.
        var mallory = PrivateKey.Generate();
        var malloryEphemeral = PrivateKey.Generate();
        var alice = LinkHandshake.Initiator(InitiatorIdentity, null);
        var malloryAsResponder = LinkHandshake.Responder(mallory, malloryEphemeral);

        var aliceAct1 = Body(alice.Start());
        var malloryAct2 = Body(malloryAsResponder.Receive(Framed(aliceAct1)).ToSend);
        var aliceAct3 = Body(alice.Receive(Framed(malloryAct2)).ToSend);
        var aliceLeg = new ManualLeg(malloryEphemeral, PublicKey.FromBytes(aliceAct1.AsSpan(1)), aliceAct1, malloryAct2.AsSpan(0, 33));
        aliceLeg.OpenAct2Proof(malloryAct2.AsSpan(33));
        var alicesProof = aliceLeg.OpenAct3Proof(aliceAct3);

        var m1 = PrivateKey.Generate();
        var bob = LinkHandshake.Responder(ResponderIdentity);
        var toBobAct1 = ManualLeg.Act1Body(m1);
        var bobAct2 = Body(bob.Receive(Framed(toBobAct1)).ToSend);
        var bobLeg = new ManualLeg(m1, PublicKey.FromBytes(bobAct2.AsSpan(1, 32)), toBobAct1, bobAct2.AsSpan(0, 33));
        bobLeg.OpenAct2Proof(bobAct2.AsSpan(33));

        var e = Assert.Throws<LinkHandshakeException>(() => bob.Receive(bobLeg.SealAct3(alicesProof)));
        Assert.Equal(("act3", "initiator_signature"), Field(e));
    }

    [Fact]
    public void Forwarding_act1_unchanged_but_answering_with_another_ephemeral_fails_authentication()
    {
        // Without Bob's handshake key Mallory cannot seal anything Alice can open.
        var alice = FixedInitiator();
        alice.Start();
        byte[] act2 = [.. Body(Acts.Act2)];
        PrivateKey.Generate().PublicKey.Span.CopyTo(act2.AsSpan(1));
        Assert.Equal(("act2", "payload"), Field(Assert.Throws<LinkHandshakeException>(() => alice.Receive(Framed(act2)))));
    }

    private static (string, string) Field(LinkHandshakeException e) => (e.Act, e.Field);

    private static byte[] Framed(byte[] body) => SweetGossip.Protocol.Wire.LengthPrefix.Wrap(body);
}
