using System.Text.Json;

namespace SweetGossip.Cli.Tests;

/// <summary>What one in-process run of `sgossip` produced.</summary>
public sealed record CliResult(int ExitCode, string Out, string Err)
{
    public string[] OutLines => Lines(Out);

    public string[] ErrLines => Lines(Err);

    public string LastOutLine => OutLines.Last();

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Out);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"exit {ExitCode}\n[stdout]\n{Out}[stderr]\n{Err}";

    private static string[] Lines(string text) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
}

/// <summary>
/// A fresh temporary directory per test (xunit builds a new test class instance for every test),
/// deleted afterwards, plus helpers to run the CLI in-process and check its output.
/// </summary>
public abstract class CliTestBase : IDisposable
{
    protected CliTestBase()
    {
        RuntimeDirectory.Use();
        Dir = Path.Combine(Path.GetTempPath(), "sgossip-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Dir);
    }

    protected string Dir { get; }

    /// <summary>An absolute path inside this test's directory.</summary>
    protected string PathOf(string name) => Path.Combine(Dir, name);

    /// <summary>
    /// A `node run` config in this test's directory: listener, control and metrics on free loopback ports, cheap proofs of
    /// work, the test authority trusted, keys and certificate named <paramref name="keyName"/>.
    /// </summary>
    /// <param name="nodeExtra">Inside <c>sweetgossip.node</c> (default: no replies).</param>
    /// <param name="section">Inside <c>sweetgossip</c> (a member's cluster section, a metrics listener of the test's).</param>
    /// <param name="akka">At the top level (a member's shared journal).</param>
    protected string WriteNodeConfig(string name, string authority, string keyName, IReadOnlyList<string> peers, string nodeExtra = "", string section = "", string akka = "")
    {
        var path = PathOf($"{name}.conf");
        File.WriteAllText(path, $$"""
            sweetgossip {
              data-directory = "data-{{name}}"
              node {
                listen = "127.0.0.1:0"
                peers = [{{string.Join(", ", peers.Select(p => $"\"{p}\""))}}]
                identity-key-file = "{{keyName}}.key"
                certificate-file = "{{keyName}}.cert"
                trusted-authorities = [{ name = "Sydney Taxi Council", public-key = "{{authority}}" }]
                pow { base-difficulty = 4, max-extra = 4, workers = 1 }
                {{(nodeExtra.Length > 0 ? nodeExtra : "reply-policy = { kind = none }")}}
              }
              control.listen = "127.0.0.1:0"
              metrics.listen = "127.0.0.1:0"
            {{section}}
            }
            {{akka}}
            """);
        return path;
    }

    /// <summary>The value of <c>key=value</c> in a log line.</summary>
    protected static string Field(string line, string key) =>
        line.Split(' ').Single(part => part.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..].Trim();

    public void Dispose()
    {
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory must not fail a test.
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Runs `sgossip args…` in-process; any exception escaping <see cref="CliApp.Run"/> fails the test.</summary>
    protected static CliResult Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApp.Run(args, output, error);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs and asserts success: exit 0, nothing on stderr.</summary>
    protected static CliResult Ok(params string[] args)
    {
        var result = Run(args);
        Assert.True(result.ExitCode == 0 && result.Err.Length == 0, $"sgossip {string.Join(' ', args)}\n{result}");
        return result;
    }

    /// <summary>
    /// The contract for every failure: non-zero exit, nothing on stdout, exactly one line on stderr
    /// starting with "error:". Returns that line.
    /// </summary>
    protected static string AssertOneLineError(CliResult result)
    {
        Assert.True(result.ExitCode != 0, $"expected a failure\n{result}");
        Assert.True(result.Out.Length == 0, $"expected nothing on stdout\n{result}");
        Assert.True(result.ErrLines.Length == 1, $"expected exactly one line on stderr\n{result}");
        Assert.StartsWith("error: ", result.ErrLines[0]);
        Assert.EndsWith("\n", result.Err); // a whole line, not a dangling fragment
        return result.ErrLines[0];
    }

    /// <summary>A verdict that is "not valid": exit 1, one line on stdout, nothing on stderr.</summary>
    protected static string AssertInvalidVerdict(CliResult result, string verdict)
    {
        Assert.True(result.ExitCode == 1 && result.Err.Length == 0 && result.OutLines.Length == 1, $"expected an invalid verdict\n{result}");
        Assert.StartsWith($"invalid ({verdict})", result.OutLines[0]);
        return result.OutLines[0];
    }

    // ---- fixtures built through the CLI itself ----

    protected string NewKey(string name = "key.json")
    {
        var path = PathOf(name);
        Ok("keys", "new", "--out", path);
        return path;
    }

    protected static string PublicKeyOf(string keyFile)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(keyFile));
        return document.RootElement.GetProperty("public_key").GetString()!;
    }

    protected string NewAuthority(string name = "Sydney Taxi Council", string file = "ca.json")
    {
        var path = PathOf(file);
        Ok("ca", "new", "--name", name, "--out", path);
        return path;
    }

    protected string Issue(string ca, string subject, string file = "cert.json", params string[] extra)
    {
        var path = PathOf(file);
        Ok(["ca", "issue", "--ca", ca, "--subject", subject, "--name", "taxi-driver", "--out", path, .. extra]);
        return path;
    }
}
