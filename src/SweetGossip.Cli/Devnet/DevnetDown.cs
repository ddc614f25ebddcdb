namespace SweetGossip.Cli.Devnet;

/// <summary>
/// `sgossip devnet down`: stops every process devnet.json records (only those still running as recorded: same pid,
/// same start time) and keeps every file, unless asked to purge; then it removes what `devnet up` made and nothing else.
/// </summary>
public static class DevnetDown
{
    public static async Task<IReadOnlyList<StopOutcome>> RunAsync(DevnetLayout layout, TimeSpan grace, bool purge, CancellationToken cancel)
    {
        if (!Directory.Exists(layout.Directory))
            throw new CliException($"--dir: {layout.Directory} does not exist");
        if (!File.Exists(layout.Manifest))
            throw new CliException($"no devnet in {layout.Directory} (no devnet.json)");
        using (DevnetLock.Take(layout))
        {
            var manifest = DevnetManifest.Read(layout.Manifest);
            var outcomes = await DevnetStopper.StopAsync(manifest.All, grace, cancel);
            if (purge) Purge(layout, manifest);
            return outcomes;
        }
    }

    private static void Purge(DevnetLayout layout, DevnetManifest manifest)
    {
        foreach (var entry in layout.Entries(manifest.All.Where(p => p.Kind == DevnetProcess.NodeKind).Select(p => p.Name)))
        {
            try
            {
                if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"--purge: cannot remove {entry}: {e.Message}");
            }
        }
        if (!Directory.EnumerateFileSystemEntries(layout.Directory).Any()) Directory.Delete(layout.Directory);
    }
}
