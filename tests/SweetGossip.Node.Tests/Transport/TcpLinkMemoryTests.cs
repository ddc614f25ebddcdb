using System.Buffers.Binary;
using Akka.Actor;
using SweetGossip.Node.Core;
using SweetGossip.Node.Peers;
using SweetGossip.Node.Tests.Support;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Protocol.Frames;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Transport;
using SweetGossip.Protocol.Wire;
using Xunit.Abstractions;

namespace SweetGossip.Node.Tests.Transport;

/// <summary>
/// What a peer can make a link hold, against a live listener over real TCP, from raw attacker sockets:
/// a started record's buffer and time, and what waits to be sent to a peer that does not read.
/// </summary>
public class TcpLinkMemoryTests(ITestOutputHelper output) : TcpTestKit(output)
{
    // The attacker's pace: one byte per tick, far too slow to finish any record a test uses in the test's time.
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);

    /// <summary>A real record of about 16 KiB, sealed for <paramref name="peer"/>'s link.</summary>
    private static byte[] LargeRecord(RawPeer peer) => peer.Link!.Seal(FrameCodec.Encode(
        new Reply(PayloadId.New(), Hash32.Random(), 1, "lnbcrt1", Bytes.Copy(new byte[64]), Bytes.Copy(new byte[16 * 1024]))));

    /// <summary>Sends <paramref name="record"/> one byte per <see cref="Tick"/> until <paramref name="stop"/> completes or the socket fails.</summary>
    private static async Task TrickleAsync(RawPeer peer, byte[] record, Task stop)
    {
        for (var i = 0; i < record.Length && !stop.IsCompleted; i++)
        {
            try
            {
                await peer.SendAsync(record[i..(i + 1)]);
            }
            catch (IOException)
            {
                return; // the listener closed us
            }
            await Task.WhenAny(stop, Task.Delay(Tick));
        }
    }

    private async Task<RawPeer> LinkedRawPeerAsync(TcpTestNode listener)
    {
        var peer = await RawPeer.ConnectAsync(listener.Address);
        await peer.HandshakeAsync(listener.Key.PublicKey);
        await ConnectionTo(listener, peer.Key.PublicKey);
        return peer;
    }

    [Fact]
    public async Task Slow_loris_record_trickle_is_closed_at_the_record_deadline()
    {
        // Idle timeout far away: only the record deadline can end this.
        var listener = await StartAsync(Fast with { RecordDeadline = TimeSpan.FromSeconds(1), IdleTimeout = TimeSpan.FromMinutes(5) });
        await using var loris = await LinkedRawPeerAsync(listener);

        var closed = WarningContaining(loris.LocalAddress, "record not completed within 1 s (");
        await TrickleAsync(loris, LargeRecord(loris), closed);

        var warning = await closed;
        Assert.Contains("bytes of it arrived); closing the connection", warning);
        await loris.ClosedByPeerAsync();
        await AssertServesAWellBehavedPeerAsync(listener);
    }

    [Fact]
    public async Task A_record_trickle_does_not_hold_off_the_idle_timeout()
    {
        // Record deadline far away: the idle timer, reset only by whole records, must end this.
        var listener = await StartAsync(Fast with
        {
            RecordDeadline = TimeSpan.FromMinutes(5),
            KeepaliveInterval = TimeSpan.FromMilliseconds(300),
            IdleTimeout = TimeSpan.FromSeconds(1),
        });
        await using var loris = await LinkedRawPeerAsync(listener);

        var closed = WarningContaining(loris.LocalAddress, "no complete record received for 1 s");
        await TrickleAsync(loris, LargeRecord(loris), closed);

        await closed;
        await loris.ClosedByPeerAsync();
    }

    [Fact]
    public async Task Records_that_keep_completing_are_not_cut_off_by_the_record_deadline()
    {
        var listener = await StartAsync(Fast with { RecordDeadline = TimeSpan.FromSeconds(3) });
        await using var peer = await LinkedRawPeerAsync(listener);

        // Each write ends halfway through a record, so one is always under way for the whole stream (about
        // twice the deadline); each record completes within a tick or two, far inside the deadline.
        var frames = Enumerable.Range(0, 80).Select(_ => new ThankYou(PayloadId.New(), Hash32.Random())).ToList();
        var records = frames.Select(f => peer.Link!.Seal(FrameCodec.Encode(f))).ToList();
        await peer.SendAsync(records[0][..(records[0].Length / 2)]);
        for (var i = 0; i < records.Count; i++)
        {
            var rest = records[i][(records[i].Length / 2)..];
            var next = i + 1 < records.Count ? records[i + 1][..(records[i + 1].Length / 2)] : [];
            await Task.Delay(Tick); // the peer's pace, not a wait for the listener
            await peer.SendAsync([.. rest, .. next]);
        }

        foreach (var frame in frames)
            Assert.Equal(new FrameReceived(peer.Key.PublicKey, frame), await listener.Node.FishForMessageAsync(m => m is FrameReceived, Timeout));
        Assert.False(peer.IsClosedByPeer);
    }

    [Fact]
    public async Task A_huge_declared_record_length_with_few_bytes_allocates_only_what_arrived()
    {
        var listener = await StartAsync(Fast with { RecordDeadline = TimeSpan.FromMinutes(5) });
        await using var liar = await LinkedRawPeerAsync(listener);
        Task<RecordBuffer> BufferOnceAsync(int pending) => Eventually.Value(
            () => listener.Transport.Ask<RecordBuffer>(GetRecordBuffers.Instance, Timeout), b => b.PendingBytes == pending);

        // The largest length a record may declare, then 10 bytes of it.
        var header = new byte[LengthPrefix.HeaderBytes];
        BinaryPrimitives.WriteUInt32BigEndian(header, LinkProtocol.MaxRecordBytes);
        await liar.SendAsync([.. header, .. new byte[10]]);
        var buffer = await BufferOnceAsync(14);
        Assert.Contains(liar.LocalAddress, buffer.Link);
        Assert.Equal(FrameStreamDecoder.MinBufferBytes, buffer.AllocatedBytes);

        // More arrives: the buffer grows with it (at most doubling), still far below the declared length.
        await liar.SendAsync(new byte[4000]);
        buffer = await BufferOnceAsync(4014);
        Assert.InRange(buffer.AllocatedBytes, 4010, 2 * 4010);
    }

    [Fact]
    public async Task Outbox_over_its_byte_bound_closes_the_link_of_a_peer_that_does_not_read()
    {
        // The count bound is out of reach: only the byte bound (one largest record) can close this link.
        var listener = await StartAsync(Fast with { OutboxLimit = 1_000_000, OutboxMaxBytes = TcpTransportSettings.MaxWireRecordBytes });
        await using var deaf = await RawPeer.ConnectAsync(listener.Address, receiveBuffer: 4096);
        await deaf.HandshakeAsync(listener.Key.PublicKey);
        var toDeaf = await ConnectionTo(listener, deaf.Key.PublicKey);

        // Kernel buffers on both ends fill, writes stop completing, records queue up: then the link goes.
        var body = Bytes.Copy(new byte[16 * 1024]);
        for (var i = 0; i < 1000; i++)
            toDeaf.Tell(new SendFrame(new Reply(PayloadId.New(), Hash32.Random(), 1, "lnbcrt1", Bytes.Copy(new byte[64]), body)));

        var warning = await WarningContaining(deaf.LocalAddress, "outbox full: ", " bytes waiting and ",
            $"more to send while the peer does not read (transport.outbox-max-bytes is {TcpTransportSettings.MaxWireRecordBytes}); closing the connection");
        Assert.DoesNotContain("records waiting", warning);
    }
}
