using System.CommandLine;
using SweetGossip.Cli.Control;
using SweetGossip.Daemon.Control;

namespace SweetGossip.Cli.Commands;

/// <summary>The options every command talking to a running node shares: its control URL and, if it cannot be found on its own, its token file.</summary>
internal sealed class ControlOptions
{
    private ControlOptions(Option<string> url) => Url = url;

    public Option<string> Url { get; }

    public Option<string> TokenFile { get; } = Options.Optional<string>("--control-token-file",
        $"The node's control token ({ControlToken.FileName} in its data directory); default: ${ControlClient.TokenVariable}, else the token of the node `node run` announced on that port");

    public Option[] All => [Url, TokenFile];

    /// <summary>--control with the default URL.</summary>
    public static ControlOptions Default() =>
        new(Options.WithDefault("--control", "Base URL of the node's control endpoint (loopback)", ControlClient.DefaultUrl));

    /// <summary>--control without a default: the command talks to a node only when it is given.</summary>
    public static ControlOptions Optional(string description) => new(Options.Optional<string>("--control", description));

    /// <summary>The node to talk to, or null when --control is optional and absent.</summary>
    public ControlTarget? Target(ParseResult parse) =>
        parse.GetValue(Url) is { } url ? new ControlTarget(url, parse.GetValue(TokenFile)) : null;
}
