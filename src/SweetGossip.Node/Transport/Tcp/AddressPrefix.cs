using System.Net;
using System.Net.Sockets;

namespace SweetGossip.Node.Transport.Tcp;

/// <summary>
/// The address prefix an inbound peer is counted under (IPv4 /24 and IPv6 /64 by default): addresses of one
/// prefix usually belong to one operator, so caps per prefix stop one attacker with many addresses of one
/// network, where caps per address would not. An IPv4-mapped IPv6 address counts as its IPv4 address.
/// </summary>
public static class AddressPrefix
{
    public static IPNetwork Of(IPAddress address, int ipv4Length, int ipv6Length)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var length = address.AddressFamily == AddressFamily.InterNetwork ? ipv4Length : ipv6Length;
        var bytes = address.GetAddressBytes(); // no scope id: fe80::1%2 and fe80::1%3 are one prefix
        for (var i = 0; i < bytes.Length; i++)
        {
            var kept = Math.Clamp(length - 8 * i, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - kept));
        }
        return new IPNetwork(new IPAddress(bytes), length);
    }

    public static IPNetwork Of(IPAddress address, TcpTransportSettings settings) =>
        Of(address, settings.Ipv4PrefixLength, settings.Ipv6PrefixLength);
}
