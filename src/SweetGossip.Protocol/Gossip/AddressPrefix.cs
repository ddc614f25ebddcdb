using System.Buffers.Binary;
using System.Net;

namespace SweetGossip.Protocol.Gossip;

/// <summary>
/// The network a peer's address belongs to, counted as one: addresses of one prefix usually belong to one operator
/// (what one subscriber or one host is given; GossipSub scores IP colocation, Bitcoin Core buckets /16s). The score
/// book scores an IPv4 /24 or an IPv6 /64 (this struct); the transport caps connections per prefix of configured
/// lengths (<see cref="Network"/>). IPv4-mapped IPv6 addresses count as their IPv4 address.
/// </summary>
public readonly struct AddressPrefix : IEquatable<AddressPrefix>
{
    private readonly ulong _bits;
    private readonly bool _isIPv6;

    private AddressPrefix(ulong bits, bool isIPv6) => (_bits, _isIPv6) = (bits, isIPv6);

    public static AddressPrefix Of(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var written)) throw new ArgumentException($"not an IP address: {address}", nameof(address));
        return written == 4
            ? new AddressPrefix(BinaryPrimitives.ReadUInt32BigEndian(bytes) >> 8, isIPv6: false)
            : new AddressPrefix(BinaryPrimitives.ReadUInt64BigEndian(bytes), isIPv6: true);
    }

    /// <summary>The network of <paramref name="address"/> with the prefix length of its family (no scope id: fe80::1%2 and fe80::1%3 are one).</summary>
    public static IPNetwork Network(IPAddress address, int ipv4Length, int ipv6Length)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var length = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? ipv4Length : ipv6Length;
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var kept = Math.Clamp(length - 8 * i, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - kept));
        }
        return new IPNetwork(new IPAddress(bytes), length);
    }

    public bool Equals(AddressPrefix other) => _bits == other._bits && _isIPv6 == other._isIPv6;

    public override bool Equals(object? obj) => obj is AddressPrefix other && Equals(other);

    // HashCode.Combine is seeded per process: a peer cannot pick addresses that collide in the book.
    public override int GetHashCode() => HashCode.Combine(_bits, _isIPv6);

    public static bool operator ==(AddressPrefix left, AddressPrefix right) => left.Equals(right);

    public static bool operator !=(AddressPrefix left, AddressPrefix right) => !left.Equals(right);

    public override string ToString()
    {
        if (!_isIPv6) return $"{(_bits >> 16) & 0xff}.{(_bits >> 8) & 0xff}.{_bits & 0xff}.0/24";
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, _bits);
        return $"{new IPAddress(bytes)}/64";
    }
}
