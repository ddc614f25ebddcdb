using System.Runtime.CompilerServices;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Embedded;

/// <summary>
/// A node of an <see cref="EmbeddedLightningNetwork"/>: one ledger account and one secp256k1 key.
/// Every operation completes synchronously (the returned tasks are already complete) except
/// <see cref="PayAsync"/>, which completes when the payee settles or the payment fails.
/// </summary>
public sealed class EmbeddedLightningNode : ILightningNode
{
    private readonly EmbeddedLightningNetwork _network;
    private readonly byte[] _secretKey;
    private PrivateKey? _privateKey;
    private StrongBox<LightningNodeId>? _nodeId;

    internal EmbeddedLightningNode(EmbeddedLightningNetwork network, int index, byte[] secretKey, LightningNodeId? nodeId)
    {
        _network = network;
        Index = index;
        _secretKey = secretKey;
        _nodeId = nodeId is { } id ? new StrongBox<LightningNodeId>(id) : null;
    }

    /// <summary>The node's ledger account: 0, 1, 2, ... in creation order.</summary>
    public int Index { get; }

    public EmbeddedLightningNetwork Network => _network;

    /// <summary>
    /// The compressed public key. Derived on first use (one scalar multiplication), so that a simulation can
    /// create 100k nodes cheaply; a node's first invoice derives it.
    /// </summary>
    public LightningNodeId NodeId
    {
        get
        {
            var box = Volatile.Read(ref _nodeId);
            if (box is null)
            {
                // Two threads may both derive it; they get the same value.
                var id = LightningNodeId.FromPrivateKey(PrivateKey);
                _network.Register(this, id);
                box = new StrongBox<LightningNodeId>(id);
                Volatile.Write(ref _nodeId, box);
            }

            return box.Value;
        }
    }

    /// <summary>The node's key (created on first use).</summary>
    public PrivateKey PrivateKey => _privateKey ??= PrivateKey.FromBytes(_secretKey);

    /// <summary>Subscribers to all of this node's invoices; copy-on-write, guarded by the network's lock.</summary>
    internal EmbeddedLightningNetwork.Subscription[] Subscribers { get; set; } = [];

    internal byte[] SecretKey => _secretKey;

    public Task<HoldInvoice> AddHoldInvoiceAsync(
        Hash32 paymentHash,
        ulong amountMsat,
        string memo,
        TimeSpan expiry,
        int cltvExpiryDelta,
        CancellationToken ct = default)
    {
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<HoldInvoice>(ct);
        }

        try
        {
            return Task.FromResult(_network.AddHoldInvoice(this, paymentHash, amountMsat, memo, expiry, cltvExpiryDelta));
        }
        catch (Exception e) when (e is LightningException or ArgumentException)
        {
            return Task.FromException<HoldInvoice>(e);
        }
    }

    public Task<InvoiceStatus> LookupInvoiceAsync(Hash32 paymentHash, CancellationToken ct = default)
    {
        try
        {
            return Task.FromResult(_network.Lookup(this, paymentHash));
        }
        catch (LightningException e)
        {
            return Task.FromException<InvoiceStatus>(e);
        }
    }

    /// <summary>Synchronous lookup: the invoice's current state, or false if this node has none under that hash.</summary>
    public bool TryLookupInvoice(Hash32 paymentHash, out InvoiceStatus status) => _network.TryLookup(this, paymentHash, out status);

    public IDisposable SubscribeInvoices(Action<InvoiceUpdate> onUpdate) => _network.Subscribe(this, null, onUpdate);

    public IDisposable SubscribeSingleInvoice(Hash32 paymentHash, Action<InvoiceUpdate> onUpdate) =>
        _network.Subscribe(this, paymentHash, onUpdate);

    public Task SettleInvoiceAsync(Hash32 preimage, CancellationToken ct = default)
    {
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled(ct);
        }

        try
        {
            _network.Settle(this, preimage);
            return Task.CompletedTask;
        }
        catch (LightningException e)
        {
            return Task.FromException(e);
        }
    }

    public Task CancelInvoiceAsync(Hash32 paymentHash, CancellationToken ct = default)
    {
        if (ct.IsCancellationRequested)
        {
            return Task.FromCanceled(ct);
        }

        try
        {
            _network.Cancel(this, paymentHash);
            return Task.CompletedTask;
        }
        catch (LightningException e)
        {
            return Task.FromException(e);
        }
    }

    public Task<PaymentResult> PayAsync(string paymentRequest, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(paymentRequest);
        return ct.IsCancellationRequested ? Task.FromCanceled<PaymentResult>(ct) : _network.Pay(this, paymentRequest);
    }

    public Task<PaymentResult?> TrackPaymentAsync(Hash32 paymentHash, CancellationToken ct = default) =>
        ct.IsCancellationRequested ? Task.FromCanceled<PaymentResult?>(ct) : _network.Track(this, paymentHash);

    public Task<DecodedPaymentRequest> DecodePaymentRequestAsync(string paymentRequest, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(paymentRequest);
        try
        {
            return Task.FromResult(_network.Decode(paymentRequest));
        }
        catch (LightningException e)
        {
            return Task.FromException<DecodedPaymentRequest>(e);
        }
    }

    public Task<LightningBalance> GetBalanceAsync(CancellationToken ct = default) =>
        Task.FromResult(_network.Ledger.GetBalance(Index));

    /// <summary>Synchronous balance, for simulations and tests.</summary>
    public LightningBalance Balance => _network.Ledger.GetBalance(Index);

    public override string ToString() => $"embedded node #{Index}";
}
