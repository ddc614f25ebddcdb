using System.Text;
using System.Text.Json;
using SweetGossip.Node.Hosting;

namespace SweetGossip.Cli.Files;

/// <summary>The contents of one of the CLI's JSON files, able to say what is missing or wrong in it.</summary>
public interface ICheckedFile
{
    /// <summary>Null when the file has every field it needs; else what is wrong, for an error line.</summary>
    string? Problem();
}

/// <summary>Reads and writes the CLI's JSON files, naming the file in every error.</summary>
public static class JsonFile
{
    /// <summary>Reads <paramref name="path"/> as a <paramref name="kind"/> file ("key", "authority", …).</summary>
    public static T Read<T>(string path, string kind)
        where T : class, ICheckedFile
    {
        if (!File.Exists(path))
            throw new CliException($"file not found: {path}");
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(File.ReadAllText(path), CliContext.ReadOptions);
        }
        catch (JsonException e)
        {
            throw new CliException($"{path}: not a valid {kind} file ({Describe(e)})");
        }

        if (value is null)
            throw new CliException($"{path}: not a valid {kind} file (it holds JSON null)");
        if (value.Problem() is { } problem)
            throw new CliException($"{path}: not a valid {kind} file ({problem})");
        return value;
    }

    /// <summary>
    /// Checks, before anything is written, that <paramref name="path"/> (given with <paramref name="option"/>)
    /// may be written: a file name, not a directory, and either new or a file of type
    /// <paramref name="replaceableType"/> (a certificate may replace a certificate, never a key file).
    /// With <paramref name="replaceableType"/> null an existing file is never replaced.
    /// </summary>
    public static void EnsureWritable(string path, string? replaceableType, string option = "--out")
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new CliException($"{option}: no file name given");
        if (Directory.Exists(path))
            throw new CliException($"{option}: {path} is a directory");
        if (!File.Exists(path))
            return;
        if (replaceableType is null)
            throw new CliException($"{path} already exists; refusing to overwrite it");
        if (TypeOf(path) != replaceableType)
            throw new CliException($"{path} already exists and is not a '{replaceableType}' file; refusing to overwrite it");
    }

    /// <summary>The "type" field of an existing JSON file, or null if it has none or is not JSON.</summary>
    private static string? TypeOf(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("type", out var type)
                && type.ValueKind == JsonValueKind.String
                    ? type.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="value"/> as JSON; call <see cref="EnsureWritable"/> first.</summary>
    public static void Write(string path, object value)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        File.WriteAllText(path, CliContext.ToJson(value) + Environment.NewLine);
    }

    /// <summary>
    /// Writes a file that holds a secret (a key, an authority): owner-only from its first byte and replaced whole
    /// (<see cref="SecretFile"/>). With <paramref name="replace"/> false an existing file is never touched, even one
    /// another process creates meanwhile.
    /// </summary>
    public static void WriteSecret(string path, object value, bool replace)
    {
        var content = Encoding.UTF8.GetBytes(CliContext.ToJson(value) + Environment.NewLine);
        try
        {
            if (replace) SecretFile.Write(path, content);
            else if (!SecretFile.TryCreate(path, content)) throw new CliException($"{path} already exists; refusing to overwrite it");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write {path}: {e.Message}");
        }
    }

    /// <summary>"what, at line L column C" without .NET type names or System.Text.Json's internal wording.</summary>
    private static string Describe(JsonException e)
    {
        var where = e.LineNumber is { } line
            ? $"line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}"
            : "unknown position";
        var message = e.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        if (message.Contains("could not be converted", StringComparison.Ordinal))
            message = e.Path is null or "$" ? "expected a JSON object" : $"unexpected kind of value for '{e.Path.TrimStart('$', '.')}'";
        else if (message.Contains("does not contain any JSON tokens", StringComparison.Ordinal))
            return "the file is empty";
        return $"{message.TrimEnd('.')}, at {where}";
    }

    /// <summary>Null when <paramref name="type"/> is <paramref name="expected"/>; else what is wrong with it.</summary>
    internal static string? CheckType(string? type, string expected) =>
        type is null ? $"missing 'type', expected '{expected}'"
        : type != expected ? $"type is '{type}', expected '{expected}'"
        : null;

    /// <summary>"missing 'a', 'b'" for the fields that are null, or null when none is.</summary>
    internal static string? Missing(params (string Name, object? Value)[] fields)
    {
        var missing = fields.Where(f => f.Value is null).Select(f => $"'{f.Name}'").ToList();
        return missing.Count == 0 ? null : $"missing {string.Join(", ", missing)}";
    }
}
