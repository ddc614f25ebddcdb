using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using SweetGossip.Cli.Commands;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Topics;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Cli;

/// <summary>The `sgossip` command line: builds the command tree and turns every failure into one clear line.</summary>
public static class CliApp
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("sgossip: Sweet-Gossip keys, certificates, topics, proof of work and protocol demo");
        root.Options.Add(CliContext.JsonOption);
        root.Subcommands.Add(KeysCommands.Build());
        root.Subcommands.Add(CaCommands.Build());
        root.Subcommands.Add(CertCommands.Build());
        root.Subcommands.Add(TopicCommands.Build());
        root.Subcommands.Add(PowCommands.Build());
        root.Subcommands.Add(DemoCommand.Build());
        return root;
    }

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var parse = BuildRoot().Parse(args);
        if (parse.Errors.Count > 0)
        {
            error.WriteLine($"error: {parse.Errors[0].Message} (see 'sgossip {string.Join(' ', CommandPath(parse))} --help')");
            return 2;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (Describe(e) is { } message)
        {
            error.WriteLine($"error: {message}");
            return 1;
        }
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var result = parse.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
            names.Push(result.Command.Name);
        return names;
    }

    /// <summary>Expected failures get their message; anything else is a bug and keeps its stack trace.</summary>
    private static string? Describe(Exception e) => e switch
    {
        CliException or CryptoFormatException or FrameFormatException or TopicValidationException => e.Message,
        FileNotFoundException f => $"file not found: {f.FileName}",
        DirectoryNotFoundException or UnauthorizedAccessException or IOException => e.Message,
        JsonException j => $"not a valid sgossip file: {j.Message}",
        FormatException or ArgumentException => e.Message,
        CryptographicException c => c.Message,
        _ => null,
    };
}
