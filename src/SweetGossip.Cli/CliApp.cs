using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using SweetGossip.Cli.Commands;
using SweetGossip.Daemon.Hosting;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Pow;
using SweetGossip.Protocol.Topics;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Cli;

/// <summary>The `sgossip` command line: builds the command tree and turns every failure into one clear line.</summary>
public static class CliApp
{
    /// <summary>Exit code for a usage error (unknown command, missing or unparsable option).</summary>
    public const int UsageError = 2;

    /// <summary>Exit code for an unexpected exception: a bug in sgossip (BSD sysexits EX_SOFTWARE).</summary>
    public const int InternalError = 70;

    /// <summary>Exit code when the run was cancelled (Ctrl+C), as shells report SIGINT.</summary>
    public const int Cancelled = 130;

    /// <summary>Set to 1 to get the stack trace of an unexpected exception on stderr.</summary>
    public const string TraceVariable = "SGOSSIP_TRACE";

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("sgossip: Sweet-Gossip keys, certificates, topics, proof of work, protocol demo, and a node");
        root.Options.Add(CliContext.JsonOption);
        root.Subcommands.Add(KeysCommands.Build());
        root.Subcommands.Add(CaCommands.Build());
        root.Subcommands.Add(CertCommands.Build());
        root.Subcommands.Add(TopicCommands.Build());
        root.Subcommands.Add(PowCommands.Build());
        root.Subcommands.Add(DemoCommand.Build());
        root.Subcommands.Add(LnCommands.Build());
        root.Subcommands.Add(NodeCommands.Build());
        root.Subcommands.Add(DevnetCommands.Build());
        root.Subcommands.Add(RepliesCommand.Build());
        root.Subcommands.Add(SimCommands.Build());
        root.Subcommands.Add(ChaosCommands.Build());
        root.Subcommands.Add(FuzzCommands.Build());
        return root;
    }

    /// <summary>How long a command may take to finish after Ctrl-C or SIGTERM (a node shuts down cleanly in this time).</summary>
    public static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(20);

    public static int Run(string[] args, TextWriter output, TextWriter error) =>
        Run(args, output, error, Secp256k1Library.LoadError);

    /// <param name="cryptoUnavailable">Why libsecp256k1 cannot be used here, or null; a parameter so tests can give one.</param>
    internal static int Run(string[] args, TextWriter output, TextWriter error, string? cryptoUnavailable)
    {
        var parse = BuildRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            error.WriteLine($"error: {OneLine(FirstError(parse))} (see '{string.Join(' ', ["sgossip", .. CommandPath(parse), "--help"])}')");
            return UsageError;
        }
        // Every command signs, verifies or derives keys: a platform without libsecp256k1 fails here, in one line.
        if (cryptoUnavailable is { } unavailable)
        {
            error.WriteLine($"error: {unavailable}");
            return 1;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TerminationGrace });
        }
        catch (Exception e) when (Describe(e) is { } message)
        {
            error.WriteLine($"error: {OneLine(message)}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("error: cancelled");
            return Cancelled;
        }
        catch (Exception e)
        {
            // A bug: still one line, so scripts reading stderr are not flooded; the trace on request.
            error.WriteLine($"error: internal error ({e.GetType().Name}: {OneLine(e.Message)}); please report it, with {TraceVariable}=1 for details");
            if (Environment.GetEnvironmentVariable(TraceVariable) == "1")
                error.Write(e.ToString().Replace("\n", "\n  ", StringComparison.Ordinal));
            return InternalError;
        }
    }

    /// <summary>
    /// The error to show. "Required command was not provided" comes first for `sgossip frob`, but the
    /// user's mistake is the token nobody recognised, so an error naming an unmatched token wins.
    /// </summary>
    private static string FirstError(ParseResult parse)
    {
        var unmatched = parse.Errors.FirstOrDefault(e =>
            parse.UnmatchedTokens.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal)));
        return (unmatched ?? parse.Errors[0]).Message;
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
            names.Push(result.Command.Name);
        return names;
    }

    /// <summary>Every error is one line: line breaks inside a message (or a user's value) become spaces.</summary>
    internal static string OneLine(string message) => LineLogger.OneLine(message);

    /// <summary>Expected failures get their message; anything else is a bug, reported as an internal error.</summary>
    private static string? Describe(Exception e) => e switch
    {
        CliException or StartupException or CryptoFormatException or FrameFormatException or TopicValidationException or PowExhaustedException => e.Message,
        FileNotFoundException f => $"file not found: {f.FileName}",
        DirectoryNotFoundException or UnauthorizedAccessException or IOException => e.Message,
        JsonException j => $"not a valid sgossip file: {j.Message}",
        FormatException or ArgumentException => e.Message,
        CryptographicException c => c.Message,
        _ => null,
    };
}
