namespace SweetGossip.Cli.Devnet;

/// <summary>
/// devnet.lock, held open exclusively while `devnet up` or `devnet down` works on a directory (.NET takes an advisory
/// flock for FileShare.None on Unix), so two of them never start or stop one devnet at once. The OS releases it when
/// the process ends, however it ends.
/// </summary>
public static class DevnetLock
{
    public static IDisposable Take(DevnetLayout layout)
    {
        try
        {
            return new FileStream(layout.Lock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new CliException($"another `sgossip devnet up` or `down` is working on {layout.Directory}; wait for it to finish");
        }
    }
}
