using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SweetGossip.Node.Settlement;

namespace SweetGossip.Node.Tests.Settlement;

/// <summary>
/// Random histories of a three-middleman chain: the originator pays (or not), time passes, nodes go down for a
/// while or crash right after journaling a step (before acting on it) and come back, the replier may give up.
/// Whatever happens, the ledgers never settle or pay twice, no middleman pays downstream past the deadline
/// rule, money is conserved at every step, and once everything is resolved nobody is out of pocket but the
/// originator, by exactly what it bought, and each ledger replays from its journal to the same state.
/// </summary>
public class PaymentChainProperties
{
    private const ulong Price = 25_000_000;
    private static readonly ulong[] Fees = [1_000, 2_000, 3_000];

    public abstract record Op;

    public sealed record Pay : Op;

    public sealed record Advance(int Minutes) : Op;

    public sealed record Down(int Node) : Op;

    public sealed record Up(int Node) : Op;

    /// <summary>The node crashes right after it next journals an event of this kind (before acting on it) and stays down until an <see cref="Up"/>.</summary>
    public sealed record CrashAfter(int Node, int Kind) : Op;

    public sealed record ReplierGivesUp : Op;

    /// <summary>
    /// Longest a middleman that has started paying downstream may stay down: less than the chain's margin
    /// (12 blocks = 120 minutes). Down past its upstream HTLC's timeout after paying, a node loses on any
    /// Lightning implementation (that is what watchtowers are for). Before paying it may be down for days:
    /// back late, the deadline rule decides whether it may still pay.
    /// </summary>
    private static readonly TimeSpan MaxDownWhilePaying = TimeSpan.FromMinutes(100);

    private static readonly Type[] Kinds =
    [
        typeof(InvoiceAcceptedEvent), typeof(PaymentStartedEvent), typeof(PaymentSucceededEvent), typeof(PaymentFailedEvent),
        typeof(InvoiceSettledEvent), typeof(InvoiceCancelledEvent),
    ];

    private static readonly Gen<Op> AnyOp = Gen.Frequency(
        (2, Gen.Constant((Op)new Pay())),
        (4, from minutes in Gen.Frequency((3, Gen.Choose(0, 90)), (1, Gen.Choose(90, 1_800))) select (Op)new Advance(minutes)),
        (3, from node in Gen.Choose(0, 4) select (Op)new Down(node)),
        (3, from node in Gen.Choose(0, 4) select (Op)new Up(node)),
        (3, from node in Gen.Choose(0, 4) from kind in Gen.Choose(0, Kinds.Length - 1) select (Op)new CrashAfter(node, kind)),
        (1, Gen.Constant((Op)new ReplierGivesUp())));

    private static readonly Arbitrary<Op[]> Histories = Gen.ArrayOf(AnyOp).Resize(30).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property A_chain_never_loses_or_doubles_money_whatever_crashes_and_delays() =>
        Prop.ForAll(Histories, history =>
        {
            var chain = new ChainModel(Price, Fees);
            var nodes = chain.All.ToArray();
            var downSince = new Dictionary<ChainModel.Node, DateTimeOffset>();
            foreach (var op in history)
            {
                foreach (var node in nodes.Where(n => !n.Up)) downSince.TryAdd(node, chain.Now); // crashed at a crash point
                switch (op)
                {
                    case Pay: chain.OriginatorPays(); break;
                    case Advance a:
                        // In steps, so a paying middleman is back within MaxDownWhilePaying.
                        for (var left = TimeSpan.FromMinutes(a.Minutes); left > TimeSpan.Zero; left -= TimeSpan.FromMinutes(10))
                        {
                            foreach (var m in chain.Middlemen.Where(m => !m.Up && m.Journal.Any(e => e is PaymentStartedEvent) && chain.Now - downSince[m] >= MaxDownWhilePaying - TimeSpan.FromMinutes(10)))
                                Restart(m);
                            chain.Advance(left < TimeSpan.FromMinutes(10) ? left : TimeSpan.FromMinutes(10));
                            foreach (var node in nodes.Where(n => !n.Up)) downSince.TryAdd(node, chain.Now);
                        }
                        break;
                    case Down d:
                        chain.Crash(nodes[d.Node]);
                        downSince.TryAdd(nodes[d.Node], chain.Now);
                        break;
                    case Up u: Restart(nodes[u.Node]); break;
                    case CrashAfter c: nodes[c.Node].CrashAfter = Kinds[c.Kind]; break;
                    case ReplierGivesUp:
                        if (chain.Lightning.TryLookup(chain.Replier.Account, chain.Hash, chain.Now, out var s) && s.State is Lightning.Port.InvoiceState.Open or Lightning.Port.InvoiceState.Accepted)
                            chain.Lightning.Cancel(chain.Replier.Account, chain.Hash, chain.Now);
                        chain.Drive();
                        break;
                }
                chain.Lightning.CheckInvariants();
                Assert.Equal(chain.DepositedMsat, chain.Lightning.TotalMsat);
            }

            void Restart(ChainModel.Node node)
            {
                downSince.Remove(node);
                chain.Restart(node);
            }

            // Everyone back, every deadline passed: everything resolves.
            foreach (var node in nodes) { node.CrashAfter = null; Restart(node); }
            for (var i = 0; i < 8; i++) chain.Advance(TimeSpan.FromHours(6));

            chain.Lightning.CheckInvariants();
            var paid = chain.Originator.Ledger.Payment(chain.Hash) is { State: RecordedPaymentState.Succeeded };
            var total = Price + Fees.Aggregate(0UL, (a, b) => a + b);
            Assert.Equal(ChainModel.Opening - (paid ? total : 0), chain.Balance(chain.Originator).AvailableMsat);
            Assert.Equal(ChainModel.Opening + (paid ? Price : 0), chain.Balance(chain.Replier).AvailableMsat);
            foreach (var (m, fee) in chain.Middlemen.Zip(Fees))
                Assert.Equal(ChainModel.Opening + (paid ? fee : 0), chain.Balance(m).AvailableMsat);
            foreach (var node in nodes)
            {
                Assert.Equal((0UL, 0UL), (chain.Balance(node).OutgoingLockedMsat, chain.Balance(node).IncomingPendingMsat));
                Assert.Empty(node.Ledger.Active);
                Assert.True(node.Journal.Count(e => e is InvoiceSettledEvent) <= 1, $"{node} settled twice");
                Assert.True(node.Journal.Count(e => e is PaymentStartedEvent) <= 1, $"{node} started two payments");
                foreach (var (at, deadline, cltv) in node.PaymentsStarted)
                    Assert.True(deadline - at >= node.Ledger.Policy.PayingWindow(cltv), $"{node} paid downstream at {at:O}, too close to {deadline:O}");
                var replayed = node.Journal.Aggregate(SettlementLedger.Empty(node.Ledger.Policy), (l, e) => l.Apply(e));
                Assert.Equal(node.Ledger[chain.Hash], replayed[chain.Hash]);
            }
            return true;
        });
}
