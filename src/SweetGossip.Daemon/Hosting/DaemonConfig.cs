using Akka.Configuration;

namespace SweetGossip.Daemon.Hosting;

/// <summary>
/// Akka settings of a daemon process itself (`node run`, `ln hub`), over the operator's file and the reference.conf:
/// log events as <see cref="LineLogger"/> lines on stdout, and let the host, not Akka, stop the actor system and end
/// the process. Akka's CLR hook (its own SIGTERM handler and ProcessExit) is off: it would run CoordinatedShutdown on
/// SIGTERM before or after the host stopped the daemon's parts, depending on the order .NET happens to call signal
/// handlers in; the host runs CoordinatedShutdown itself, after the control endpoint (or the hub's HTTP face) has stopped.
/// </summary>
public static class DaemonConfig
{
    // The logger's type name follows the class wherever it lives.
    public static Config Process { get; } = ConfigurationFactory.ParseString($"""
        akka.loggers = ["{typeof(LineLogger).FullName}, {typeof(LineLogger).Assembly.GetName().Name}"]
        akka.stdout-loglevel = WARNING
        akka.log-dead-letters-during-shutdown = off
        akka.coordinated-shutdown.exit-clr = off
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        """);
}
