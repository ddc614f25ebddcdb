using Akka.Actor;
using Akka.TestKit.Xunit2;
using SweetGossip.Node.Core;

namespace SweetGossip.Node.Tests.Core;

/// <summary>
/// What the node guardian restarts and what it stops (docs/decisions.md, "One node guardian"), with stand-in children
/// that throw on demand: a failing settlement is restarted alone; a failing node actor (or transport) ends the node.
/// </summary>
public class NodeGuardianSupervisionTests : TestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_settlement_that_throws_is_restarted_and_the_node_stays_up()
    {
        var guardian = NodeGuardian.Start(Sys, "g");
        var settlement = NodeGuardian.Adopt(guardian, Props.Create(() => new Flaky(TestActor)), NodeGuardian.SettlementName);
        var node = NodeGuardian.Adopt(guardian, Props.Create(() => new Flaky(TestActor)), NodeGuardian.NodeName);
        ExpectMsg("started", Patience);
        ExpectMsg("started", Patience);

        settlement.Tell("throw");

        ExpectMsg("restarted", Patience);
        Assert.Equal("alive", await settlement.Ask<string>("ping", Patience));
        // The guardian did not stop: its other child still answers.
        Assert.Equal("alive", await node.Ask<string>("ping", Patience));
    }

    [Fact]
    public async Task A_node_actor_that_throws_ends_the_whole_node()
    {
        var guardian = NodeGuardian.Start(Sys, "g");
        var settlement = NodeGuardian.Adopt(guardian, Props.Create(() => new Flaky(TestActor)), NodeGuardian.SettlementName);
        var node = NodeGuardian.Adopt(guardian, Props.Create(() => new Flaky(TestActor)), NodeGuardian.NodeName);
        var ends = new[] { guardian, settlement, node }.Select(actor => actor.WatchAsync()).ToList();

        node.Tell("throw");

        Assert.All(await Task.WhenAll(ends).WaitAsync(Patience), Assert.True);
    }

    /// <summary>Tells its observer when it starts or restarts, answers "ping", throws on "throw".</summary>
    private sealed class Flaky : ReceiveActor
    {
        private readonly IActorRef _observer;

        public Flaky(IActorRef observer)
        {
            _observer = observer;
            Receive<string>(m => m == "ping", _ => Sender.Tell("alive"));
            Receive<string>(m => m == "throw", _ => throw new InvalidOperationException("a bug"));
        }

        protected override void PreStart() => _observer.Tell("started");

        protected override void PostRestart(Exception reason) => _observer.Tell("restarted");
    }
}
