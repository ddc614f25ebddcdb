using Akka.Actor;
using Akka.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SweetGossip.Daemon.Hosting;

namespace SweetGossip.Cli.Tests;

/// <summary>
/// The generic host `node run` and `ln hub` run on: the actor system comes from the daemon's HOCON through Akka.Hosting,
/// a part that cannot start takes the actor system down with it and its error reaches the command, and an actor
/// system that ends on its own stops the host.
/// </summary>
public sealed class DaemonHostTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_actor_system_is_made_from_the_daemons_hocon_with_the_line_logger_and_no_clr_hook()
    {
        using var host = DaemonHost.CreateBuilder("daemon-test", ConfigurationFactory.ParseString("sweetgossip.probe = 42")).Build();
        await DaemonHost.StartAsync(host, CancellationToken.None);
        var config = host.Services.GetRequiredService<ActorSystem>().Settings.Config;

        Assert.Equal(42, config.GetInt("sweetgossip.probe"));
        Assert.Equal([$"{typeof(LineLogger).FullName}, SweetGossip.Daemon"], config.GetStringList("akka.loggers"));
        // Akka's own SIGTERM hook would race the host's orderly stop (control endpoint first, then the node).
        Assert.False(config.GetBoolean("akka.coordinated-shutdown.run-by-clr-shutdown-hook"));
        await host.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_part_that_cannot_start_stops_the_actor_system_and_its_error_reaches_the_command()
    {
        var builder = DaemonHost.CreateBuilder("daemon-test", Config.Empty);
        builder.Services.AddHostedService<Refusing>();
        using var host = builder.Build();
        var system = host.Services.GetRequiredService<ActorSystem>();

        var e = await Assert.ThrowsAsync<StartupException>(() => DaemonHost.StartAsync(host, CancellationToken.None));

        Assert.Equal(Refusing.Message, e.Message);
        await system.WhenTerminated.WaitAsync(Patience);
    }

    [Fact]
    public async Task An_actor_system_that_ends_on_its_own_stops_the_host()
    {
        using var host = DaemonHost.CreateBuilder("daemon-test", Config.Empty).Build();
        await DaemonHost.StartAsync(host, CancellationToken.None);
        var stopping = DaemonHost.StoppingAsync(host);
        Assert.False(stopping.IsCompleted);

        await host.Services.GetRequiredService<ActorSystem>().Terminate();

        await stopping.WaitAsync(Patience);
        await host.StopAsync(CancellationToken.None);
    }

    private sealed class Refusing : IHostedService
    {
        public const string Message = "sweetgossip.control.listen: cannot listen on 127.0.0.1:1: taken";

        public Task StartAsync(CancellationToken cancellationToken) => throw new StartupException(Message);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
