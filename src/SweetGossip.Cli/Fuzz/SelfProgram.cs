namespace SweetGossip.Cli.Fuzz;

/// <summary>How to run this program again: its apphost, or `dotnet sgossip.dll` under the dotnet host (as in tests).</summary>
internal static class SelfProgram
{
    public static string Path => Resolve().Program;

    public static string[] Prefix => Resolve().Prefix;

    private static (string Program, string[] Prefix) Resolve()
    {
        var host = Environment.ProcessPath;
        if (host is not null && System.IO.Path.GetFileNameWithoutExtension(host).Equals("sgossip", StringComparison.Ordinal))
            return (host, []);
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH")
            ?? (host is not null && System.IO.Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.Ordinal) ? host : "dotnet");
        return (dotnet, [System.IO.Path.Combine(AppContext.BaseDirectory, "sgossip.dll")]);
    }
}
