namespace SweetGossip.Protocol.Primitives;

/// <summary>
/// Growth for tables that are usually small (a node's peers: 8 in a simulation) and enumerated, so they cannot be trimmed
/// after removals without changing their order. A full dictionary doubles (a node of 8 peers kept 17 slots); grown here
/// by a quarter, at least 4, before an add, it keeps ≈ 11. Growing keeps the order of the entries; growth stays geometric.
/// </summary>
public static class TableGrowth
{
    /// <summary>Call before adding a key that is not in <paramref name="map"/>.</summary>
    public static void RoomForOneMore<TKey, TValue>(this Dictionary<TKey, TValue> map) where TKey : notnull
    {
        if (map.Count == map.Capacity) map.EnsureCapacity(map.Count + Math.Max(4, map.Count / 4));
    }
}
