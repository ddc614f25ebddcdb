using System.Globalization;

namespace SweetGossip.Cli.Fuzz;

/// <summary>A process's resident memory, from /proc (Linux); null where that cannot be read.</summary>
public static class ProcessMemory
{
    public static double? ResidentMb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
                var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                return Math.Round(kb / 1024.0, 1);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
        }
        return null;
    }
}
