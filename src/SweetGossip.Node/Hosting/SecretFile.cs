using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SweetGossip.Node.Hosting;

/// <summary>
/// Files that hold secrets (key and authority files, bearer tokens, journals holding preimages): readable by
/// their owner only from the moment they exist (created with that mode, never chmod'ed afterwards, so there is
/// no window in which another user can open them), and replaced whole: written under a temporary name in the
/// same directory, flushed to disk, then renamed over the old file, so a crash or a reader never sees half of one.
/// Directories made for them are owner-only too. On Windows the modes do not apply (ACLs inherit from the parent).
/// </summary>
public static class SecretFile
{
    /// <summary>rw------- (0600).</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rwx------ (0700).</summary>
    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, replacing any file there in one rename.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content) => Place(path, content, replace: true);

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> only if nothing is there yet; false if a file
    /// was there already, or another process put one there first (theirs is kept, never overwritten).
    /// </summary>
    public static bool TryCreate(string path, ReadOnlySpan<byte> content) =>
        !File.Exists(path) && Place(path, content, replace: false);

    /// <summary>
    /// Makes sure an (empty) owner-only file exists at <paramref name="path"/>, for a library that opens it
    /// afterwards with the default mode (SQLite: its -wal and -shm files then take the database file's mode).
    /// An existing file is left as it is.
    /// </summary>
    public static void EnsureExists(string path)
    {
        CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            using (new FileStream(path, Options(FileMode.CreateNew))) { }
        }
        catch (IOException) when (File.Exists(path))
        {
            // There already (or another process made it meanwhile): not ours to change.
        }
    }

    /// <summary>Creates <paramref name="path"/> and missing parents owner-only; an existing directory is left as it is.</summary>
    public static void CreateDirectory(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) return;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(full);
            return;
        }
        // Directory.CreateDirectory(path, mode) gives the mode to the last directory only: each missing one is made here.
        if (Path.GetDirectoryName(full) is { } parent) CreateDirectory(parent);
        Directory.CreateDirectory(full, OwnerOnlyDirectory);
    }

    private static bool Place(string path, ReadOnlySpan<byte> content, bool replace)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        CreateDirectory(directory);
        // CreateNew (O_EXCL) never follows a link planted under the temporary name.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, Options(FileMode.CreateNew)))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            if (replace || OperatingSystem.IsWindows())
                File.Move(temporary, full, overwrite: replace); // rename(2); MoveFileEx without REPLACE_EXISTING is atomic
            else if (link(temporary, full) != 0)
            {
                // File.Move without overwrite is not atomic on Unix (two racing creators both "won", the second's file
                // replacing the first's): link(2) is, and fails if the name exists. The temporary goes in finally.
                var errno = Marshal.GetLastPInvokeError();
                if (File.Exists(full)) return false;
                throw new IOException($"{full}: link failed (errno {errno})");
            }
            return true;
        }
        catch (IOException) when (!replace && File.Exists(full))
        {
            return false;
        }
        finally
        {
            File.Delete(temporary); // nothing there once the rename succeeded
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int link(string existing, string created);

    private static FileStreamOptions Options(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        return options;
    }
}
