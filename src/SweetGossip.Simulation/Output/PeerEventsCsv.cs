namespace SweetGossip.Simulation.Output;

/// <summary>
/// peer-events.csv, written as the run goes (never held whole): time_s, node, peer (empty for a whole-node
/// event), event (<see cref="PeerEventKind"/> by name), cause (a name, or empty: the behaviour judged for a score
/// change, Thanked or Unthanked for a difficulty change), value (empty, or the score or the difficulty bits after it).
/// Rows in time order; ties in node, then peer order, then as they happened.
/// </summary>
public sealed class PeerEventsCsv : IDisposable
{
    public const string FileName = "peer-events.csv";

    private readonly StreamWriter _file;
    private readonly CsvWriter _csv;

    public PeerEventsCsv(string path)
    {
        _file = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        _csv = new CsvWriter(_file);
        _csv.Row("time_s", "node", "peer", "event", "cause", "value");
    }

    public long Rows { get; private set; }

    public void Row(double timeSeconds, int node, int? peer, PeerEventKind kind, string? cause = null, double? value = null)
    {
        _csv.Row(timeSeconds, node, peer, kind, cause, value);
        Rows++;
    }

    public void Dispose() => _file.Dispose();
}
