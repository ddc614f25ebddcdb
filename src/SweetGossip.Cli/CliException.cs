namespace SweetGossip.Cli;

/// <summary>A user-facing failure: printed as one line, exit code 1.</summary>
public sealed class CliException(string message) : Exception(message);
