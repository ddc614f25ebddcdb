using ScottPlot;

namespace SweetGossip.Simulation.Output;

/// <summary>Saves a ScottPlot plot in the chosen format, with the fixed size and font all plots share.</summary>
internal static class PlotFile
{
    public const int Width = 900;
    public const int Height = 560;

    public static string Extension(PlotFormat format) => format == PlotFormat.Svg ? ".svg" : ".png";

    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        // A sans font that Debian's fonts-dejavu-core ships; SkiaSharp's fallback otherwise picks a serif.
        plot.Font.Set("DejaVu Sans");
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }

    public static void Save(Plot plot, string path, PlotFormat format)
    {
        if (format == PlotFormat.Svg) plot.SaveSvg(path, Width, Height);
        else plot.SavePng(path, Width, Height);
    }
}
