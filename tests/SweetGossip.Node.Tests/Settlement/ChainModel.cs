using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Node.Settlement;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Node.Tests.Settlement;

/// <summary>
/// A reply's payment chain as pure ledgers (the test helper that replaced the old Lightning/Chain classes):
/// originator → middlemen → replier, each node reduced to its <see cref="SettlementLedger"/> and its journal,
/// one synchronous <see cref="EmbeddedLedger"/> as the Lightning network. <see cref="Drive"/> does for every
/// node what the settlement actor does: feeds it the Lightning node's updates (reconciled by the ledger),
/// carries out what <see cref="SettlementLedger.Due"/> says, journals before acting. A node can crash (its
/// ledger is rebuilt from its journal; what Lightning told it meanwhile is lost) and restart (it looks up its
/// open invoices and tracks its payments). No actors, no threads, no clock but <see cref="Now"/>.
/// </summary>
internal sealed class ChainModel : ILedgerObserver
{
    public const ulong Opening = 1_000_000_000;

    private readonly Queue<(int Account, InvoiceUpdate Update)> _updates = new();
    private readonly Dictionary<(int Payer, Hash32 Hash), PaymentResult?> _payments = []; // the Lightning node's memory of payments: null = HTLC locked
    private readonly RelayPolicy _policy;

    public ChainModel(ulong price, IReadOnlyList<ulong> fees, RelayPolicy? policy = null, int replierCltv = 40, TimeSpan? expiry = null,
        IReadOnlyList<RelayPolicy>? middlemanPolicies = null)
    {
        _policy = policy ?? SettlementSettings.Default.Relay;
        Lightning = new EmbeddedLedger(this, _policy.BlockInterval);
        Now = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);
        Originator = NewNode("originator", _policy);
        Middlemen = fees.Select((_, i) => NewNode($"m{i + 1}", middlemanPolicies?[i] ?? _policy)).ToArray();
        Replier = NewNode("replier", _policy);
        Price = price;
        Fees = fees;

        var lifetime = expiry ?? TimeSpan.FromMinutes(30);
        Preimage = Hash32.Random();
        Hash = Preimage.Sha256();
        Replier.Record(new SecretRegisteredEvent(Hash, Now, Preimage));
        var request = AddInvoice(Replier, price, Now + lifetime, replierCltv);
        Replier.Record(new InvoiceIssuedEvent(Hash, Now, price, request, Now + lifetime, replierCltv));
        for (var i = Middlemen.Length - 1; i >= 0; i--)
        {
            var m = Middlemen[i];
            var downstream = Decode(request);
            var plan = RelayPlan.For(downstream, new RelayTerms(fees[i], lifetime), m.Ledger.Policy, Now, out var refusal)
                ?? throw new InvalidOperationException($"{m.Name} refuses to relay: {refusal}");
            var upstream = AddInvoice(m, plan.UpstreamAmountMsat, Now + plan.UpstreamExpiry, plan.UpstreamCltvExpiryDelta);
            m.Record(new RelayRegisteredEvent(Hash, Now, request, downstream.AmountMsat, fees[i], downstream.CltvExpiryDelta));
            m.Record(new InvoiceIssuedEvent(Hash, Now, plan.UpstreamAmountMsat, upstream, Now + plan.UpstreamExpiry, plan.UpstreamCltvExpiryDelta));
            request = upstream;
        }
        TopRequest = request;
        DepositedMsat = Lightning.DepositedMsat;
    }

    public EmbeddedLedger Lightning { get; }

    public DateTimeOffset Now { get; private set; }

    public Node Originator { get; }

    public Node[] Middlemen { get; }

    public Node Replier { get; }

    public IEnumerable<Node> All => [Originator, .. Middlemen, Replier];

    public ulong Price { get; }

    public IReadOnlyList<ulong> Fees { get; }

    public Hash32 Preimage { get; }

    public Hash32 Hash { get; }

    public string TopRequest { get; }

    public ulong DepositedMsat { get; }

    /// <summary>The originator journals its payment's start, then pays the top invoice.</summary>
    public void OriginatorPays()
    {
        if (!Originator.Up || Originator.Ledger.Payment(Hash) is not null) return;
        if (Crashes(Originator, () => Originator.Record(new PaymentStartedEvent(Hash, Now, TopRequest, Decode(TopRequest).AmountMsat)))) return;
        PayAtLightning(Originator, TopRequest);
        Drive();
    }

    public void Advance(TimeSpan by)
    {
        Now += by;
        Lightning.ExpireDue(Now);
        Drive();
    }

    public void Crash(Node node) => node.Up = false;

    /// <summary>Restarts a node: its ledger from its journal, then what the actor does on recovery (lookups; the sweep tracks payments).</summary>
    public void Restart(Node node)
    {
        node.Up = true;
        node.Ledger = node.Journal.Aggregate(SettlementLedger.Empty(node.Ledger.Policy), (l, e) => l.Apply(e));
        foreach (var hash in node.Ledger.Active)
            if (node.Ledger.Invoice(hash) is { IsFinal: false } && Lightning.TryLookup(node.Account, hash, Now, out var status))
                if (Crashes(node, () => Reconcile(node, status))) return;
        Drive();
    }

    /// <summary>Runs every node that is up until nothing more happens: updates in, due actions out.</summary>
    public void Drive()
    {
        for (var round = 0; round < 1_000; round++)
        {
            var moved = false;
            while (_updates.TryDequeue(out var u))
            {
                var node = All.Single(n => n.Account == u.Account);
                if (node.Up) Crashes(node, () => Reconcile(node, u.Update.Invoice));
                moved = true;
            }
            foreach (var node in All.Where(n => n.Up))
                foreach (var hash in node.Ledger.Active.ToList())
                    foreach (var action in node.Ledger.Due(hash, Now).ToList())
                    {
                        if (!node.Up) break;
                        var carried = false;
                        moved |= Crashes(node, () => carried = Carry(node, action)) || carried;
                    }
            if (!moved) return;
        }
        throw new InvalidOperationException("the chain did not settle down in 1,000 rounds");
    }

    public LightningBalance Balance(Node node) => Lightning.GetBalance(node.Account);

    void ILedgerObserver.OnInvoiceUpdate(int account, InvoiceUpdate update) => _updates.Enqueue((account, update));

    void ILedgerObserver.OnPaymentResolved(int payer, object? payment, PaymentResult result) => _payments[(payer, result.PaymentHash)] = result;

    private bool Carry(Node node, SettlementAction action)
    {
        switch (action)
        {
            case SettleDue settle:
                try
                {
                    Lightning.Settle(node.Account, settle.Preimage, Now);
                    node.Record(new InvoiceSettledEvent(settle.PaymentHash, Now, settle.Preimage));
                }
                catch (LightningException)
                {
                    Reconcile(node, Lightning.Lookup(node.Account, settle.PaymentHash, Now));
                }
                return true;
            case CancelDue cancel when node.Ledger.RefuseCancel(cancel.PaymentHash) is null:
                Lightning.Cancel(node.Account, cancel.PaymentHash, Now);
                if (node.Ledger.Check(new InvoiceCancelledEvent(cancel.PaymentHash, Now, cancel.Reason)) is null)
                    node.Record(new InvoiceCancelledEvent(cancel.PaymentHash, Now, cancel.Reason));
                return true;
            case PayDownstreamDue pay:
                var started = new PaymentStartedEvent(pay.PaymentHash, Now, pay.PaymentRequest, pay.AmountMsat);
                if (node.Ledger.Check(started) is not null) return false;
                node.Record(started);
                node.PaymentsStarted.Add((Now, node.Ledger.Invoice(pay.PaymentHash)!.HtlcExpiresAt!.Value, node.Ledger[pay.PaymentHash]!.Relay!.DownstreamCltvExpiryDelta));
                PayAtLightning(node, pay.PaymentRequest);
                return true;
            case TrackPaymentDue track:
                if (!_payments.TryGetValue((node.Account, track.PaymentHash), out var known))
                {
                    // Never reached Lightning: pay now, unless the deadline rule says it is too late.
                    var entry = node.Ledger[track.PaymentHash]!;
                    if (entry.Relay is { } relay && !node.Ledger.Policy.MayPayDownstream(Now, entry.Invoice?.HtlcExpiresAt, relay.DownstreamCltvExpiryDelta))
                        node.Record(new PaymentFailedEvent(track.PaymentHash, Now, "never started; too late"));
                    else
                        PayAtLightning(node, entry.Payment!.PaymentRequest);
                    return true;
                }
                if (known is null) return false; // locked, still in flight
                return RecordResult(node, known);
            case DeliverReplyDue deliver:
                node.Record(new ReplyDeliveredEvent(deliver.PaymentHash, Now));
                return true;
            default:
                return false;
        }
    }

    /// <summary>Runs a step of <paramref name="node"/>; true if it crashed at its crash point (after journaling, before acting).</summary>
    private static bool Crashes(Node node, Action step)
    {
        try
        {
            step();
            return false;
        }
        catch (NodeCrashed)
        {
            return true;
        }
    }

    private void PayAtLightning(Node payer, string request)
    {
        if (!Lightning.TryPayRequest(payer.Account, request, payment: null, Now, out var immediate))
            throw new InvalidOperationException("unknown payment request");
        var hash = Decode(request).PaymentHash;
        _payments[(payer.Account, hash)] = immediate; // null while the HTLC is locked
    }

    private bool RecordResult(Node node, PaymentResult result)
    {
        if (node.Ledger.Payment(result.PaymentHash) is not { State: RecordedPaymentState.InFlight }) return false;
        node.Record(result.Succeeded
            ? new PaymentSucceededEvent(result.PaymentHash, Now, result.Preimage.Value, result.FeeMsat)
            : new PaymentFailedEvent(result.PaymentHash, Now, result.FailureReason.ToString()!));
        return true;
    }

    private void Reconcile(Node node, InvoiceStatus status)
    {
        foreach (var e in node.Ledger.Reconcile(status, Now)) node.Record(e);
    }

    private Node NewNode(string name, RelayPolicy policy)
    {
        var key = PrivateKey.Generate();
        return new Node(name, Lightning.OpenAccount(Opening), LightningNodeId.FromPrivateKey(key), SettlementLedger.Empty(policy));
    }

    private readonly Dictionary<string, DecodedPaymentRequest> _requests = [];

    private string AddInvoice(Node payee, ulong amount, DateTimeOffset expiresAt, int cltv)
    {
        var request = $"lnmodel-{payee.Name}-{Hash}";
        Lightning.AddInvoice(payee.Account, Hash, amount, "", request, Now, expiresAt, cltv, Now);
        _requests[request] = new DecodedPaymentRequest(payee.NodeId, Hash, amount, "", Now, expiresAt, cltv);
        return request;
    }

    public DecodedPaymentRequest Decode(string request) => _requests[request];

    private sealed class NodeCrashed : Exception;

    /// <summary>One node: its Lightning account, its ledger and journal, whether it runs.</summary>
    public sealed class Node(string name, int account, LightningNodeId nodeId, SettlementLedger ledger)
    {
        public string Name => name;

        public int Account => account;

        public LightningNodeId NodeId => nodeId;

        public SettlementLedger Ledger { get; set; } = ledger;

        public List<SettlementEvent> Journal { get; } = [];

        public bool Up { get; set; } = true;

        /// <summary>Set: the node goes down right after journaling the next event of this type, before acting on it.</summary>
        public Type? CrashAfter { get; set; }

        /// <summary>Every downstream payment started: when, the upstream HTLC's timeout then, the downstream delta.</summary>
        public List<(DateTimeOffset At, DateTimeOffset UpstreamDeadline, int DownstreamCltv)> PaymentsStarted { get; } = [];

        /// <summary>Journal, then apply: the ledger refuses what is illegal before it is written.</summary>
        public void Record(SettlementEvent e)
        {
            if (Ledger.Check(e) is { } refusal) throw new SettlementRefusedException(refusal.Reason, $"{name}: {refusal.Detail}");
            Journal.Add(e);
            Ledger = Ledger.Apply(e);
            if (CrashAfter != e.GetType()) return;
            CrashAfter = null;
            Up = false;
            throw new NodeCrashed();
        }

        public override string ToString() => name;
    }
}
