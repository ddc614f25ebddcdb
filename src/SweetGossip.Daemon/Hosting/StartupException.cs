namespace SweetGossip.Daemon.Hosting;

/// <summary>
/// A daemon (node or Lightning hub) cannot start as configured: a bad file or value, a port taken, a hub that does not
/// answer. The message names what is wrong; the CLI prints it as one line and exits 1.
/// </summary>
public sealed class StartupException(string message) : Exception(message);
