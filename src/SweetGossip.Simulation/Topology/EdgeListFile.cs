using System.Globalization;
using System.Text.RegularExpressions;

namespace SweetGossip.Simulation.Topology;

/// <summary>
/// Plain-text edge lists, the format most graph tools read and write: one undirected edge <c>a b</c> per
/// line (non-negative integer ids, separated by spaces or tabs); <c>#</c> starts a comment; blank lines
/// are ignored. So that isolated nodes survive a round trip, the writer adds a <c># nodes: N</c> comment;
/// the reader honours it, and otherwise takes the largest id + 1 as the node count.
/// Duplicate edges (either direction) are merged. Self-loops and malformed lines are errors naming the line.
/// </summary>
public static partial class EdgeListFile
{
    [GeneratedRegex(@"^#\s*nodes\s*:\s*(\S+)\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NodesDirective();

    public static void Write(Graph graph, string path)
    {
        using var writer = new StreamWriter(path);
        Write(graph, writer);
    }

    public static void Write(Graph graph, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(graph);
        writer.NewLine = "\n";
        writer.WriteLine("# SweetGossip edge list: one undirected edge \"a b\" per line");
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# nodes: {graph.NodeCount}"));
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# edges: {graph.EdgeCount}"));
        foreach (var (a, b) in graph.Edges())
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{a} {b}"));
    }

    /// <exception cref="EdgeListFormatException">A malformed line, naming the file and line.</exception>
    public static Graph Read(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <param name="sourceName">How errors name the input (a file name).</param>
    /// <exception cref="EdgeListFormatException">A malformed line, naming the source and line.</exception>
    public static Graph Read(TextReader reader, string sourceName = "edge list")
    {
        ArgumentNullException.ThrowIfNull(reader);
        var edges = new List<(int A, int B)>();
        int? declared = null;
        var declaredLine = 0;
        var maxId = -1;
        var maxIdLine = 0;
        var maxIdText = "";

        var lineNumber = 0;
        while (reader.ReadLine() is { } raw)
        {
            lineNumber++;
            var hash = raw.IndexOf('#');
            if (hash >= 0)
            {
                var directive = NodesDirective().Match(raw.Trim());
                if (directive.Success && raw.AsSpan(0, hash).Trim().IsEmpty)
                {
                    if (!int.TryParse(directive.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                        throw new EdgeListFormatException(sourceName, lineNumber, "node count is not a non-negative integer", raw);
                    if (declared is { } earlier && earlier != count)
                        throw new EdgeListFormatException(sourceName, lineNumber, $"node count {count} contradicts {earlier} on line {declaredLine}", raw);
                    declared = count;
                    declaredLine = lineNumber;
                }
            }
            var content = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (content.Length == 0) continue;

            var fields = content.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2)
                throw new EdgeListFormatException(sourceName, lineNumber, $"expected two node ids \"a b\", found {fields.Length} fields", raw);
            var a = ParseId(fields[0], sourceName, lineNumber, raw);
            var b = ParseId(fields[1], sourceName, lineNumber, raw);
            if (a == b)
                throw new EdgeListFormatException(sourceName, lineNumber, $"self-loop on node {a}", raw);
            if (Math.Max(a, b) > maxId)
            {
                maxId = Math.Max(a, b);
                maxIdLine = lineNumber;
                maxIdText = raw;
            }
            edges.Add((a, b));
        }

        var nodeCount = declared ?? maxId + 1;
        if (maxId >= nodeCount)
            throw new EdgeListFormatException(sourceName, maxIdLine, $"node id {maxId} is not below the declared node count {nodeCount} (line {declaredLine})", maxIdText);
        return Graph.FromEdges(nodeCount, edges);
    }

    private static int ParseId(string field, string source, int lineNumber, string raw) =>
        int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new EdgeListFormatException(source, lineNumber, $"\"{field}\" is not a node id (a non-negative integer)", raw);
}
