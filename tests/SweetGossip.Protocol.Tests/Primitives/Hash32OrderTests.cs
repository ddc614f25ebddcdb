using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Protocol.Tests.Primitives;

/// <summary>Hash32's order: its bytes, first to last, whatever the process's hash seed.</summary>
public class Hash32OrderTests
{
    [Fact]
    public void Hashes_sort_as_their_bytes_do()
    {
        var hashes = Enumerable.Range(0, 64).Select(_ => Hash32.Random()).ToList();
        // Two that differ only in the last byte, and two equal ones.
        var low = new byte[32];
        var high = new byte[32];
        high[31] = 1;
        hashes.AddRange([Hash32.FromSpan(high), Hash32.FromSpan(low), Hash32.FromSpan(low)]);
        Assert.Equal(hashes.OrderBy(h => h.ToHex(), StringComparer.Ordinal), hashes.Order());
        Assert.Equal(0, Hash32.FromSpan(low).CompareTo(Hash32.FromSpan(low)));
        Assert.True(Hash32.FromSpan(low).CompareTo(Hash32.FromSpan(high)) < 0);
    }
}
