using System.Text.Json;

namespace SweetGossip.Cli.Files;

/// <summary>Reads and writes the CLI's JSON files, naming the file in every error.</summary>
public static class JsonFile
{
    public static T Read<T>(string path)
    {
        if (!File.Exists(path))
            throw new CliException($"file not found: {path}");
        try
        {
            return CliContext.FromJson<T>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new CliException($"{path}: not a valid {typeof(T).Name} file ({e.Message})");
        }
    }

    public static void Write(string path, object value)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        File.WriteAllText(path, CliContext.ToJson(value) + Environment.NewLine);
    }
}
