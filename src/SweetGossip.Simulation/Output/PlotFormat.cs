namespace SweetGossip.Simulation.Output;

/// <summary>Image format of plots. Both render through SkiaSharp, headless.</summary>
public enum PlotFormat
{
    Png,
    Svg,
}
