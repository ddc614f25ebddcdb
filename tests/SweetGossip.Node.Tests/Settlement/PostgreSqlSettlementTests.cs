using Akka.Actor;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Settlement;
using SweetGossip.Node.Tests.Support;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Tests.Settlement;

/// <summary>The settlement journal on PostgreSQL by configuration: same actor, same rules, survives a restart.</summary>
public class PostgreSqlSettlementTests
{
    [Fact]
    public async Task The_settlement_journal_runs_on_postgresql_and_recovers_from_it()
    {
        using var server = new PostgreSqlServer();
        var config = NodeConfig.WithPostgreSql(NodeConfig.Reference, server.ConnectionString);
        using var network = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions { Seed = 5 });
        var payee = network.CreateNode(0);
        var payer = network.CreateNode(10_000_000);
        var preimage = Hash32.Random();

        var first = ActorSystem.Create("pg-one", config);
        var settlement = first.ActorOf(SettlementActor.Props("settlement-pg", payee, TimeProvider.System, SettlementHarness.Settings));
        var issued = await settlement.Ask<InvoiceIssued>(new IssueInvoice(preimage.Sha256(), 1_000_000, "pg", TimeSpan.FromHours(1), 40), SettlementHarness.Timeout);
        var accepted = SettlementHarness.WhenInvoice(payee, preimage.Sha256(), InvoiceState.Accepted);
        var payment = payer.PayAsync(issued.Invoice.PaymentRequest);
        await accepted;
        await settlement.Ask<InvoiceSettled>(new SettleInvoice(preimage), SettlementHarness.Timeout);
        Assert.True((await payment).Succeeded);
        await first.Terminate();

        var second = ActorSystem.Create("pg-two", config);
        try
        {
            var recovered = second.ActorOf(SettlementActor.Props("settlement-pg", payee, TimeProvider.System, SettlementHarness.Settings));
            var ledger = await recovered.Ask<SettlementLedger>(GetSettlementLedger.Instance, SettlementHarness.Timeout);
            Assert.Equal(RecordedInvoiceState.Settled, ledger.Invoice(preimage.Sha256())!.State);
            Assert.Equal(SettlementRefusal.InvoiceAlreadySettled, (await recovered.Ask<SettlementRejected>(new SettleInvoice(preimage), SettlementHarness.Timeout)).Reason);
        }
        finally
        {
            await second.Terminate();
        }
    }
}
