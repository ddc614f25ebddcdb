namespace SweetGossip.Simulation.Topology;

/// <summary>
/// Points bucketed into square cells (counting sort: one start index per cell, one array of point ids),
/// about one point per cell on average. Used by <see cref="GeographicGraph"/> for neighbour queries.
/// </summary>
internal sealed class SpatialGrid
{
    private readonly int[] _cellStart;
    private readonly int[] _items;
    private readonly double _minX, _minY;

    private SpatialGrid(double minX, double minY, double cellSize, int width, int height, int[] cellStart, int[] items)
    {
        _minX = minX;
        _minY = minY;
        CellSize = cellSize;
        Width = width;
        Height = height;
        _cellStart = cellStart;
        _items = items;
    }

    public double CellSize { get; }
    public int Width { get; }
    public int Height { get; }

    /// <param name="minCellSize">Cells at least this wide (a radius query then looks at the 3×3 cells around a point).</param>
    public static SpatialGrid Build(double[] xs, double[] ys, double minCellSize = 0)
    {
        var n = xs.Length;
        double minX = n == 0 ? 0 : xs.Min(), maxX = n == 0 ? 0 : xs.Max();
        double minY = n == 0 ? 0 : ys.Min(), maxY = n == 0 ? 0 : ys.Max();
        var area = Math.Max(maxX - minX, 1e-9) * Math.Max(maxY - minY, 1e-9);
        var cellSize = Math.Max(Math.Max(Math.Sqrt(area / Math.Max(n, 1)), 1e-6), minCellSize);
        var width = Math.Min((int)((maxX - minX) / cellSize) + 1, 1 << 15);
        var height = Math.Min((int)((maxY - minY) / cellSize) + 1, 1 << 15);
        cellSize = Math.Max(cellSize, Math.Max((maxX - minX) / width, (maxY - minY) / height) * (1 + 1e-12));

        var cellStart = new int[width * height + 1];
        var cellOf = new int[n];
        for (var i = 0; i < n; i++)
        {
            var cx = Math.Min((int)((xs[i] - minX) / cellSize), width - 1);
            var cy = Math.Min((int)((ys[i] - minY) / cellSize), height - 1);
            cellOf[i] = cy * width + cx;
            cellStart[cellOf[i] + 1]++;
        }
        for (var c = 0; c < width * height; c++) cellStart[c + 1] += cellStart[c];
        var fill = cellStart.AsSpan(0, width * height).ToArray();
        var items = new int[n];
        for (var i = 0; i < n; i++) items[fill[cellOf[i]]++] = i; // ascending ids within a cell
        return new SpatialGrid(minX, minY, cellSize, width, height, cellStart, items);
    }

    public (int X, int Y) CellOf(double x, double y) =>
        (Math.Min((int)((x - _minX) / CellSize), Width - 1), Math.Min((int)((y - _minY) / CellSize), Height - 1));

    /// <summary>The point ids in a cell; empty outside the grid.</summary>
    public ReadOnlySpan<int> Cell(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height) return ReadOnlySpan<int>.Empty;
        var c = y * Width + x;
        return _items.AsSpan(_cellStart[c], _cellStart[c + 1] - _cellStart[c]);
    }
}
