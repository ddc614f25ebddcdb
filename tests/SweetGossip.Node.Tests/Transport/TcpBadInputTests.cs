using System.Buffers.Binary;
using System.Text;
using Akka.Actor;
using SweetGossip.Node.Core;
using SweetGossip.Node.Peers;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Transport;
using SweetGossip.Protocol.Wire;
using Xunit.Abstractions;

namespace SweetGossip.Node.Tests.Transport;

/// <summary>
/// Hostile or broken input against a live listener: that connection is closed with a logged reason
/// naming the peer, and a well-behaved peer connecting next is served as usual.
/// </summary>
public class TcpBadInputTests(ITestOutputHelper output) : TcpTestKit(output)
{
    public enum Abuse
    {
        HttpRequestInsteadOfHandshake,
        TruncatedHandshake,
        OversizedHandshakeLength,
        OversizedRecordLength,
        ForgedRecord,
        RecordWithTamperedTag,
    }

    [Theory]
    [InlineData(Abuse.HttpRequestInsteadOfHandshake, "handshake refused: act1.length")]
    [InlineData(Abuse.TruncatedHandshake, "handshake not completed within 3 s")]
    [InlineData(Abuse.OversizedHandshakeLength, "handshake refused: act1.length")]
    [InlineData(Abuse.OversizedRecordLength, "bad record: LinkRecord.length")]
    [InlineData(Abuse.ForgedRecord, "bad record: LinkRecord.ciphertext: failed authentication")]
    [InlineData(Abuse.RecordWithTamperedTag, "bad record: LinkRecord.ciphertext: failed authentication")]
    public async Task A_bad_peer_is_cut_off_with_a_logged_reason_and_a_good_peer_still_gets_through(Abuse abuse, string reason)
    {
        // Only the truncated handshake waits for the deadline; the others must be refused long before it.
        var listener = await StartAsync(abuse == Abuse.TruncatedHandshake ? Fast with { HandshakeTimeout = TimeSpan.FromSeconds(3) } : Fast);
        await using var bad = await RawPeer.ConnectAsync(listener.Address);

        await AbuseAsync(bad, abuse, listener);

        var warning = await WarningContaining(bad.LocalAddress, reason);
        Assert.Contains("closing the connection", warning);
        await bad.ClosedByPeerAsync();
        await AssertServesAWellBehavedPeerAsync(listener);
    }

    private static async Task AbuseAsync(RawPeer bad, Abuse abuse, TcpTestNode listener)
    {
        switch (abuse)
        {
            case Abuse.HttpRequestInsteadOfHandshake:
                await bad.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"));
                break;
            case Abuse.TruncatedHandshake:
                // Half of act1, then silence: only the handshake deadline ends this.
                await bad.SendAsync(LinkHandshake.Initiator(bad.Key, null).Start()[..16]);
                break;
            case Abuse.OversizedHandshakeLength:
                await bad.SendAsync([0xff, 0xff, 0xff, 0xff, 1, 2, 3]);
                break;
            case Abuse.OversizedRecordLength:
                await bad.HandshakeAsync(listener.Key.PublicKey);
                var header = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(header, 16 * 1024 * 1024);
                await bad.SendAsync(header);
                break;
            case Abuse.ForgedRecord:
                await bad.HandshakeAsync(listener.Key.PublicKey);
                var forged = new byte[4 + 40];
                BinaryPrimitives.WriteUInt32BigEndian(forged, 40);
                Random.Shared.NextBytes(forged.AsSpan(4));
                await bad.SendAsync(forged);
                break;
            case Abuse.RecordWithTamperedTag:
                await bad.HandshakeAsync(listener.Key.PublicKey);
                var record = bad.Link!.Seal(FrameCodec.Encode(new ThankYou(PayloadId.New(), Hash32.Random())));
                record[^1] ^= 0x01;
                await bad.SendAsync(record);
                break;
        }
    }

    [Fact]
    public async Task An_idle_link_gets_keepalives_and_a_silent_peer_is_closed()
    {
        var listener = await StartAsync(Fast with { KeepaliveInterval = TimeSpan.FromMilliseconds(100), IdleTimeout = TimeSpan.FromMilliseconds(600) });
        await using var silent = await RawPeer.ConnectAsync(listener.Address);
        await silent.HandshakeAsync(listener.Key.PublicKey);

        Assert.Empty(await silent.ReceiveFrameAsync()); // a keepalive: an empty record

        await WarningContaining(silent.LocalAddress, "no complete record received for 0.6 s");
        await silent.ClosedByPeerAsync();
    }

    [Fact]
    public async Task A_peer_that_stops_reading_is_dropped_once_the_outbox_is_full()
    {
        var listener = await StartAsync(Fast with { OutboxLimit = 8 });
        await using var deaf = await RawPeer.ConnectAsync(listener.Address, receiveBuffer: 4096);
        await deaf.HandshakeAsync(listener.Key.PublicKey);
        var toDeaf = await ConnectionTo(listener, deaf.Key.PublicKey);

        // Kernel buffers on both ends fill, writes stop completing, frames queue up: then the link goes.
        var body = Bytes.Copy(new byte[16 * 1024]);
        for (var i = 0; i < 400; i++)
            toDeaf.Tell(new SendFrame(new Reply(PayloadId.New(), Hash32.Random(), 1, "lnbcrt1", Bytes.Copy(new byte[64]), body)));

        await WarningContaining(deaf.LocalAddress, "outbox full: 8 records waiting while the peer does not read (transport.outbox-limit is 8)");
    }

    [Fact]
    public async Task A_peer_proving_another_identity_than_the_address_names_is_refused()
    {
        var a = await StartAsync();
        var b = await StartAsync();
        var impostor = Protocol.Crypto.PrivateKey.Generate().PublicKey;

        a.Transport.Tell(new Connect($"{impostor.ToHex()}@{b.Address}"), a.Node.Ref);

        var failed = (ConnectFailed)await a.Node.FishForMessageAsync(m => m is ConnectFailed, Timeout);
        Assert.Contains("handshake refused", failed.Reason);
        await WarningContaining(b.Address, "handshake refused");
    }
}
