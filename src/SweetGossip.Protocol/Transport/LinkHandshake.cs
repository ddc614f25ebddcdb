using SweetGossip.Protocol.Crypto;

namespace SweetGossip.Protocol.Transport;

/// <summary>
/// The authenticated key exchange that opens every peer link (three acts, Noise-XX-like; see
/// docs/protocol.md). A pure state machine: the owner writes <see cref="Start"/> and every
/// <see cref="HandshakeStep.ToSend"/> to the socket and feeds whatever it reads to <see cref="Receive"/>,
/// until a step carries the <see cref="SecureLink"/>. One per connection; not thread-safe.
/// </summary>
public abstract class LinkHandshake
{
    private readonly HandshakeMessageReader _reader = new();
    private LinkHandshakeException? _failure;
    private bool _broken;
    private bool _complete;

    private protected LinkHandshake()
    {
    }

    /// <summary>
    /// The side that connects. <paramref name="expectedResponder"/>, when known, must be the identity the
    /// responder proves, else the handshake fails before our own identity is revealed.
    /// <paramref name="ephemeral"/> is for deterministic tests only; leave it null.
    /// </summary>
    public static LinkHandshake Initiator(PrivateKey identity, PublicKey? expectedResponder, PrivateKey? ephemeral = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new InitiatorHandshake(identity, expectedResponder, ephemeral ?? PrivateKey.Generate());
    }

    /// <summary>The side that accepted the connection. <paramref name="ephemeral"/> is for deterministic tests only.</summary>
    public static LinkHandshake Responder(PrivateKey identity, PrivateKey? ephemeral = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new ResponderHandshake(identity, ephemeral ?? PrivateKey.Generate());
    }

    /// <summary>Bytes to send first: act1 for the initiator (call exactly once, before Receive), nothing for the responder.</summary>
    public abstract byte[] Start();

    /// <summary>
    /// Feeds bytes read from the peer, in any chunking. Throws <see cref="LinkHandshakeException"/> if the
    /// peer's handshake is refused; the handshake then stays failed and the owner must drop the connection.
    /// </summary>
    public HandshakeStep Receive(ReadOnlySpan<byte> bytes)
    {
        if (_failure is not null)
            throw new LinkHandshakeException(_failure.Act, _failure.Field, $"handshake already failed ({_failure.Reason})", _failure);
        if (_broken)
            throw new InvalidOperationException("the handshake already failed; drop the connection");
        if (_complete)
            throw new InvalidOperationException("the handshake is complete; feed further bytes to the SecureLink");
        EnsureReadyToReceive();

        var ok = false;
        try
        {
            var toSend = new List<byte[]>();
            SecureLink? link = null;
            while (link is null && !bytes.IsEmpty)
            {
                var message = _reader.Read(ref bytes, ExpectedAct);
                if (message is null)
                    break;
                link = OnMessage(message, toSend);
            }

            ok = true;
            _complete = link is not null;
            return new HandshakeStep(toSend.SelectMany(b => b).ToArray(), link, link is null ? [] : bytes.ToArray());
        }
        catch (LinkHandshakeException e)
        {
            _failure = e;
            throw;
        }
        finally
        {
            // Any other exception also leaves the state machine half-updated: never reuse it.
            _broken |= !ok;
        }
    }

    /// <summary>Name of the act this side waits for ("act1", "act2", "act3"), used in errors.</summary>
    private protected abstract string ExpectedAct { get; }

    /// <summary>Throws <see cref="InvalidOperationException"/> when the caller has misused the API (e.g. no Start).</summary>
    private protected virtual void EnsureReadyToReceive()
    {
    }

    /// <summary>Handles one complete message; adds anything to send to <paramref name="toSend"/>; returns the link when done.</summary>
    private protected abstract SecureLink? OnMessage(byte[] message, List<byte[]> toSend);

    /// <summary>Version byte first, then exact length: a future version may have another size and deserves the clearer error.</summary>
    private protected static void CheckVersionAndLength(byte[] message, string act, int expectedLength)
    {
        if (message[0] != LinkProtocol.Version)
            throw new LinkHandshakeException(act, "version", $"unsupported version {message[0]} (expected {LinkProtocol.Version})");
        CheckLength(message, act, expectedLength);
    }

    private protected static void CheckLength(byte[] message, string act, int expectedLength)
    {
        if (message.Length != expectedLength)
            throw new LinkHandshakeException(act, "length", $"must be {expectedLength} bytes (got {message.Length})");
    }

    private protected static PublicKey ParseEphemeral(ReadOnlySpan<byte> bytes, string act) =>
        PublicKey.TryFromBytes(bytes, out var key)
            ? key
            : throw new LinkHandshakeException(act, "ephemeral_key", "is not a valid x-only secp256k1 public key");
}
