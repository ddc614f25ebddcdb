namespace SweetGossip.Simulation.Topology;

/// <summary>An edge-list file that cannot be read; the message names the source and the 1-based line.</summary>
public sealed class EdgeListFormatException(string source, int lineNumber, string problem, string line)
    : FormatException($"{source}, line {lineNumber}: {problem} (line: \"{line}\")")
{
    public string SourceName { get; } = source;
    public int LineNumber { get; } = lineNumber;
    public string Problem { get; } = problem;
}
