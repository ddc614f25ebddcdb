using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Transport;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Protocol.Tests.Transport;

/// <summary>Fixed keys, and one side of a connection that feeds a byte stream to a handshake, then to its link.</summary>
internal static class HandshakeHarness
{
    public static readonly PrivateKey InitiatorIdentity = PrivateKey.FromHex(new string('1', 64));
    public static readonly PrivateKey ResponderIdentity = PrivateKey.FromHex(new string('2', 64));
    public static readonly PrivateKey InitiatorEphemeral = PrivateKey.FromHex(new string('3', 64));
    public static readonly PrivateKey ResponderEphemeral = PrivateKey.FromHex(new string('4', 64));

    /// <summary>act1, act2, act3 as sent (length-prefixed), from the fixed keys, fed whole.</summary>
    public static (byte[] Act1, byte[] Act2, byte[] Act3) FixedActs()
    {
        var initiator = FixedInitiator();
        var responder = FixedResponder();
        var act1 = initiator.Start();
        var act2 = responder.Receive(act1).ToSend;
        var act3 = initiator.Receive(act2).ToSend;
        Assert.True(responder.Receive(act3).IsComplete);
        return (act1, act2, act3);
    }

    public static LinkHandshake FixedInitiator() =>
        LinkHandshake.Initiator(InitiatorIdentity, ResponderIdentity.PublicKey, InitiatorEphemeral);

    public static LinkHandshake FixedResponder() => LinkHandshake.Responder(ResponderIdentity, ResponderEphemeral);

    /// <summary>The message inside a length-prefixed handshake act.</summary>
    public static byte[] Body(byte[] act) => act[LengthPrefix.HeaderBytes..];

    public static byte[] Flip(byte[] bytes, int index, byte mask = 0x01)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] ^= mask;
        return copy;
    }
}

/// <summary>One end of a connection: bytes go to the handshake until it completes, then to the link.</summary>
internal sealed class LinkEnd(LinkHandshake handshake)
{
    public LinkHandshake Handshake { get; } = handshake;

    public SecureLink? Link { get; private set; }

    public List<byte[]> Frames { get; } = [];

    /// <summary>Feeds <paramref name="stream"/> in chunks of 1..maxChunk bytes; returns what this end sends back.</summary>
    public byte[] Feed(byte[] stream, Random random, int maxChunk)
    {
        var output = new List<byte>();
        for (var offset = 0; offset < stream.Length;)
        {
            var chunk = stream.AsSpan(offset, Math.Min(random.Next(1, maxChunk + 1), stream.Length - offset));
            offset += chunk.Length;
            if (Link is not null)
            {
                Frames.AddRange(Link.Open(chunk));
                continue;
            }
            var step = Handshake.Receive(chunk);
            output.AddRange(step.ToSend);
            if (step.IsComplete)
            {
                Link = step.Link;
                Frames.AddRange(Link.Open(step.TransportBytes));
            }
        }
        return [.. output];
    }
}
