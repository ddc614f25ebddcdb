using System.Buffers.Binary;
using System.Security.Cryptography;
using FsCheck.Xunit;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Transport;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Protocol.Tests.Transport;

public class SecureLinkTests
{
    private static readonly PublicKey Peer = PrivateKey.Generate().PublicKey;

    [Fact]
    public void Frames_go_both_ways_in_order()
    {
        var (a, b) = Pair();
        var toB = a.Seal([1]).Concat(a.Seal([2, 2])).Concat(a.Seal([])).ToArray();
        var frames = b.Open(toB);
        Assert.Equal([[1], [2, 2], []], frames);
        Assert.Equal([9, 9, 9], Assert.Single(a.Open(b.Seal([9, 9, 9]))));
    }

    [Fact]
    public void Record_layout_is_length_then_chacha20_poly1305_with_the_counter_nonce_and_length_as_ad()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        using var link = new SecureLink(Peer, key, new byte[32], sendCounter: 0x0102030405060708);
        var record = link.Seal("frame"u8);

        byte[] header = [0, 0, 0, 5 + 16];
        byte[] nonce = [0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8];
        var ciphertext = new byte[5];
        var tag = new byte[16];
        using (var aead = new ChaCha20Poly1305(key))
            aead.Encrypt(nonce, "frame"u8, ciphertext, tag, header);
        Assert.Equal([.. header, .. ciphertext, .. tag], record);
    }

    [Property(MaxTest = 100)]
    public void Records_split_in_random_chunks_come_out_whole_and_in_order(int seed)
    {
        var random = new Random(seed);
        var (a, b) = Pair();
        var frames = Enumerable.Range(0, random.Next(1, 6)).Select(_ => RandomBytes(random, random.Next(0, 5000))).ToList();
        var stream = frames.SelectMany(f => a.Seal(f)).ToArray();

        var received = new List<byte[]>();
        for (var offset = 0; offset < stream.Length;)
        {
            var n = Math.Min(random.Next(1, 700), stream.Length - offset);
            received.AddRange(b.Open(stream.AsSpan(offset, n)));
            offset += n;
        }
        Assert.Equal(frames, received);
        Assert.Equal(0, b.PendingBytes);
    }

    [Fact]
    public void Truncated_record_waits_and_then_completes()
    {
        for (var split = 1; split < LengthPrefix.HeaderBytes + 5 + LinkProtocol.TagBytes; split++)
        {
            var (a, b) = Pair();
            var record = a.Seal("hello"u8);
            Assert.Empty(b.Open(record.AsSpan(0, split)));
            Assert.Equal(split, b.PendingBytes);
            Assert.Equal("hello"u8.ToArray(), Assert.Single(b.Open(record.AsSpan(split))));
        }
    }

    [Fact]
    public void Flipping_any_bit_after_the_length_fails_and_the_link_stays_failed()
    {
        var plaintext = RandomBytes(new Random(1), 40);
        for (var i = LengthPrefix.HeaderBytes; i < plaintext.Length + 20; i++)
        {
            foreach (var mask in new byte[] { 0x01, 0x80 })
            {
                var (a, b) = Pair();
                var record = a.Seal(plaintext);
                record[i] ^= mask;
                var e = Assert.Throws<FrameFormatException>(() => b.Open(record));
                Assert.Equal(("LinkRecord", "ciphertext"), (e.Frame, e.Field));

                var again = Assert.Throws<FrameFormatException>(() => b.Open(a.Seal(plaintext)));
                Assert.Equal(("LinkRecord", "state"), (again.Frame, again.Field));
            }
        }
    }

    [Fact]
    public void Shortened_length_fails_authentication()
    {
        var (a, b) = Pair();
        var record = a.Seal(new byte[10]);
        BinaryPrimitives.WriteUInt32BigEndian(record, 25);
        Assert.Equal("ciphertext", Assert.Throws<FrameFormatException>(() => b.Open(record)).Field);
    }

    [Fact]
    public void Length_shorter_than_the_tag_is_refused()
    {
        var (_, b) = Pair();
        var e = Assert.Throws<FrameFormatException>(() => b.Open([0, 0, 0, 15, .. new byte[15]]));
        Assert.Equal(("LinkRecord", "length"), (e.Frame, e.Field));
        Assert.Contains("shorter than the 16-byte tag", e.Reason);
    }

    [Fact]
    public void Replayed_record_fails()
    {
        var (a, b) = Pair();
        var record = a.Seal("pay me"u8);
        Assert.Single(b.Open(record));
        Assert.Equal("ciphertext", Assert.Throws<FrameFormatException>(() => b.Open(record)).Field);
    }

    [Fact]
    public void Reordered_record_fails()
    {
        var (a, b) = Pair();
        var first = a.Seal("one"u8);
        var second = a.Seal("two"u8);
        Assert.Equal("ciphertext", Assert.Throws<FrameFormatException>(() => b.Open([.. second, .. first])).Field);
    }

    [Fact]
    public void Dropped_record_makes_the_next_one_fail()
    {
        var (a, b) = Pair();
        a.Seal("lost"u8);
        Assert.Throws<FrameFormatException>(() => b.Open(a.Seal("next"u8)));
    }

    [Fact]
    public void Record_reflected_to_its_sender_fails()
    {
        var (a, _) = Pair();
        Assert.Throws<FrameFormatException>(() => a.Open(a.Seal("echo"u8)));
    }

    [Theory]
    [InlineData(LinkProtocol.MaxRecordBytes + 1)]
    [InlineData(uint.MaxValue)]
    public void Declared_length_above_the_limit_is_refused_from_the_header_alone(uint declared)
    {
        var (_, b) = Pair();
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, declared);
        var e = Assert.Throws<FrameFormatException>(() => b.Open(header));
        Assert.Equal(("LinkRecord", "length"), (e.Frame, e.Field));
        Assert.Contains($"declares {declared} bytes", e.Reason);
    }

    [Fact]
    public void Frame_of_exactly_the_limit_passes_and_one_byte_more_is_refused_by_seal()
    {
        var (a, b) = Pair();
        var largest = RandomBytes(new Random(2), WireLimits.MaxFrameBytes);
        var record = a.Seal(largest);
        Assert.Equal(LinkProtocol.MaxRecordBytes, (int)BinaryPrimitives.ReadUInt32BigEndian(record));
        Assert.Equal(largest, Assert.Single(b.Open(record)));

        var e = Assert.Throws<FrameFormatException>(() => a.Seal(new byte[WireLimits.MaxFrameBytes + 1]));
        Assert.Equal(("LinkRecord", "plaintext"), (e.Frame, e.Field));
        Assert.Equal([5], Assert.Single(b.Open(a.Seal([5]))));
    }

    [Fact]
    public void Counters_never_wrap()
    {
        var send = RandomNumberGenerator.GetBytes(32);
        var receive = RandomNumberGenerator.GetBytes(32);
        using var a = new SecureLink(Peer, send, receive, sendCounter: ulong.MaxValue - 1);
        using var b = new SecureLink(Peer, receive, send, receiveCounter: ulong.MaxValue - 1);

        Assert.Equal("last"u8.ToArray(), Assert.Single(b.Open(a.Seal("last"u8))));
        Assert.Throws<InvalidOperationException>(() => a.Seal("one more"u8));

        using var other = new SecureLink(Peer, send, receive, sendCounter: ulong.MaxValue - 1);
        var e = Assert.Throws<FrameFormatException>(() => b.Open(other.Seal("one more"u8)));
        Assert.Equal(("LinkRecord", "counter"), (e.Frame, e.Field));
        Assert.Equal("state", Assert.Throws<FrameFormatException>(() => b.Open([0])).Field);
    }

    private static (SecureLink A, SecureLink B) Pair()
    {
        var aToB = RandomNumberGenerator.GetBytes(32);
        var bToA = RandomNumberGenerator.GetBytes(32);
        return (new SecureLink(Peer, aToB, bToA), new SecureLink(Peer, bToA, aToB));
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
