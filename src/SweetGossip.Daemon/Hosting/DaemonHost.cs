using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SweetGossip.Daemon.Hosting;

/// <summary>
/// The generic host a daemon (`node run`, `ln hub`) runs on: its actor system is made by Akka.Hosting from the daemon's
/// HOCON alone (the operator's file over reference.conf; no appsettings, no environment), its parts start as hosted
/// services in the order they are added, and stopping the host stops them in reverse order, the actor system last,
/// through CoordinatedShutdown. SIGTERM and Ctrl-C reach the host as the command's cancellation (System.CommandLine
/// turns them into it), which the daemon passes to <see cref="IHostApplicationLifetime.StopApplication"/>: .NET's console
/// lifetime is not used, because on SIGTERM it lets the runtime end the process once the host has stopped, with an
/// exit code of its own, and the runtime's exit would first run Akka's CLR exit hook (CoordinatedShutdown before the
/// host stops the daemon's parts); the command's exit code (0 after a clean stop) is the daemon's contract.
/// </summary>
public static class DaemonHost
{
    /// <param name="systemName">The actor system's name (it appears in no log line: <see cref="LineLogger"/> drops it).</param>
    /// <param name="config">The daemon's whole HOCON; <see cref="DaemonConfig.Process"/> is put over it.</param>
    public static HostApplicationBuilder CreateBuilder(string systemName, Config config)
    {
        // No defaults: no configuration sources and no log providers (the daemon writes its own lines to stdout).
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = systemName,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        builder.Services.AddAkka(systemName, akka => akka.AddHocon(DaemonConfig.Process.WithFallback(config), HoconAddMode.Replace));
        return builder;
    }

    /// <summary>
    /// Starts <paramref name="host"/>; if a part fails to start, stops what did start (the actor system through
    /// CoordinatedShutdown) and rethrows the part's exception (not the stop's, if stopping fails too).
    /// </summary>
    public static async Task StartAsync(IHost host, CancellationToken cancel)
    {
        try
        {
            await host.StartAsync(cancel);
        }
        catch
        {
            try
            {
                await host.StopAsync(CancellationToken.None);
            }
            catch (Exception stopping) when (stopping is not OutOfMemoryException)
            {
                // A part that never started (its actor system could not be made) can fail to stop too, with an error
                // about nothing (the host's own list of parts is null): the operator must see why the start failed.
            }
            throw;
        }
    }

    /// <summary>Completes when the host is asked to stop (a signal, <see cref="IHostApplicationLifetime.StopApplication"/>, the actor system ending).</summary>
    public static Task StoppingAsync(IHost host)
    {
        var stopping = host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        stopping.Register(() => stopped.TrySetResult());
        return stopped.Task;
    }

    /// <summary>A lifetime that listens for no signal: the host stops when the command (or a test) that owns it says so.</summary>
    private sealed class CommandLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
