using SweetGossip.Simulation.Metrics;
using SweetGossip.Simulation.Output;
using SweetGossip.Simulation.Scenario;
using SweetGossip.Simulation.Tests.Metrics;
using SweetGossip.Simulation.Tests.Support;

namespace SweetGossip.Simulation.Tests.Output;

public class OutputTests
{
    private static readonly SimulationResults Results = EventStream.Run(EventStream.Events());

    private static string[] Lines(Action<SimulationResults, TextWriter> write)
    {
        var writer = new StringWriter();
        write(Results, writer);
        var text = writer.ToString();
        Assert.EndsWith("\n", text);
        Assert.DoesNotContain("\r", text);
        return text.TrimEnd('\n').Split('\n');
    }

    [Fact]
    public void Topics_csv_has_milestones_with_empty_fields_for_never()
    {
        var lines = Lines(TopicsCsv.Write);
        Assert.Equal("topic,origin,origin_time_s,interested,interested_reached,coverage,peers_reached,reach," +
                     "p50_s,p50_hops,p90_s,p90_hops,p99_s,p99_hops,p100_s,p100_hops,copies,duplicates,replies,first_reply_s", lines[0]);
        Assert.Equal("0,0,10,4,3,0.75,4,0.8,0.1999999999999993,1,,,,,,,8,4,0,", lines[1]);
        Assert.Equal("1,3,20,5,5,1,5,1,1,2,2,3,2,3,2,3,6,1,2,4", lines[2]);
    }

    [Fact]
    public void Peers_csv_has_one_row_per_peer_with_amounts_in_msat()
    {
        var lines = Lines(PeersCsv.Write);
        Assert.Equal(7, lines.Length);
        Assert.StartsWith("node,kind,honest,topics_received,copies_received,duplicates_received,copies_per_topic,", lines[0]);
        Assert.EndsWith(",net_msat", lines[0]);
        Assert.Equal("3,Rider,true,1,2,1,2,0,0,1,300,1024,0,2,0,0,0,0,20010,0,0,0,-20010", lines[4]);
        Assert.Equal("5,Rider,false,2,2,0,1,0,0,0,0,0,0,0,0,20010,0,0,0,20000,0,0,10", lines[6]);
    }

    [Fact]
    public void Series_and_histogram_csvs_use_invariant_numbers()
    {
        Assert.Equal(["seconds_since_origin,mean_coverage,min_coverage,max_coverage,topics", "0,0,0,0,2", "0.5,0.575,0.4,0.75,2"],
                     Lines(CoverageCsv.Write).Take(3));
        Assert.Equal(["copies,count", "1,6", "2,2", "3,1"], Lines(RedundancyCsv.Write));
        Assert.Equal("10,2,150,4,4,1,0,256", Lines(TrafficCsv.Write)[2]);
        var earnings = Lines(EarningsCsv.Write);
        Assert.Equal("role,Middleman,1,20010,20000,10,10", earnings[2]);
        Assert.Equal("role,Favour,0,0,0,0,0", earnings[4]);
        Assert.Equal("honesty,honest,5,20000,20010,-10,-2", earnings[5]);
    }

    [Fact]
    public void Fields_with_commas_or_quotes_are_quoted()
    {
        Assert.Equal("\"a,b\"", CsvWriter.Format("a,b"));
        Assert.Equal("\"say \"\"hi\"\"\"", CsvWriter.Format("say \"hi\""));
        Assert.Equal("", CsvWriter.Format(double.NaN));
        Assert.Equal("1E-07", CsvWriter.Format(1e-7));
    }

    [Fact]
    public void The_summary_has_the_headline_numbers()
    {
        var s = SimulationSummary.From(Results);
        Assert.Equal((6, 5, 2, 2), (s.Peers, s.HonestPeers, s.Topics, s.TopicsWithInterestedPeers));
        Assert.Equal(0.875, s.MeanCoverage!.Value, 12);
        Assert.Equal(1.0, s.Milestone(0.5).TopicsReaching);
        Assert.Equal(0.6, s.Milestone(0.5).MeanSeconds!.Value, 12);
        Assert.Equal(0.5, s.Milestone(0.9).TopicsReaching);
        Assert.Equal(13.0 / 9, s.MeanCopiesPerReceivingPeer!.Value, 12);
        Assert.Equal(0.5, s.TopicsWithReply);
        var json = SummaryJson.Serialize(s);
        Assert.Contains("\"meanCoverage\": 0.875", json);
        Assert.Contains("\"role\": \"Replier\"", json);
    }

    [Theory]
    [InlineData(PlotFormat.Png)]
    [InlineData(PlotFormat.Svg)]
    public void Everything_is_written_into_the_output_folder(PlotFormat format)
    {
        using var folder = new TempFolder();
        var config = new SimulationConfig { Taxi = new TaxiScenario { Peers = EventStream.Peers }, Topology = Simulation.Topology.TopologySpec.RandomRegular(2) };
        var files = SimulationOutput.WriteAll(Path.Combine(folder.Path, "run"), config, Results, format);

        Assert.All(files.All, f => Assert.True(new FileInfo(f).Length > 0, f));
        Assert.Equal(config, SimulationConfigJson.Read(files.Config));
        foreach (var plot in new[] { files.CoveragePlot, files.RedundancyPlot, files.EarningsPlot, files.HonestyPlot })
        {
            var bytes = File.ReadAllBytes(plot);
            Assert.True(bytes.Length > 1000, plot);
            if (format == PlotFormat.Png) Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            else Assert.Contains("<svg", File.ReadAllText(plot));
        }

        var report = File.ReadAllText(files.Report);
        var ext = format == PlotFormat.Png ? ".png" : ".svg";
        Assert.Contains($"![Coverage over time](coverage{ext})", report);
        Assert.Contains($"![Redundancy histogram](redundancy{ext})", report);
        Assert.Contains("[topics.csv](topics.csv)", report);
        Assert.Contains("| 50 % | 100 % | 0.6 |", report);
    }
}
