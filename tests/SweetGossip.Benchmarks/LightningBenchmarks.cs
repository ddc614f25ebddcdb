using BenchmarkDotNet.Attributes;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Benchmarks;

// The embedded Lightning network on one core. Each *_PerPayment benchmark runs a batch of full payments
// (add hold invoice -> pay -> accept -> settle -> payer's task completes with the preimage) per invoke,
// so Mean is the time per payment: payments/s = 1e9 / Mean(ns). Settled invoices are pruned after each
// batch (included in the time), so memory stays flat however long it runs.
//   dotnet run -c Release --project tests/SweetGossip.Benchmarks -- --filter '*Lightning*' --job short
[MemoryDiagnoser]
public class LightningBenchmarks
{
    private const int UnsignedBatch = 1_000;
    private const int SignedBatch = 50;
    private const int NodeCount = 256;

    private BenchClock _clock = null!;
    private EmbeddedLightningNetwork _network = null!;
    private EmbeddedLightningNode[] _nodes = null!;
    private Hash32[] _preimages = null!;
    private Hash32[] _hashes = null!;

    [GlobalSetup(Targets = [nameof(Payment_Unsigned_PerPayment), nameof(InvoiceString_Unsigned)])]
    public void SetupUnsigned() => Setup(signInvoices: false);

    [GlobalSetup(Targets = [nameof(Payment_Signed_PerPayment), nameof(InvoiceString_Signed)])]
    public void SetupSigned() => Setup(signInvoices: true);

    [GlobalCleanup]
    public void Cleanup() => _network.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = UnsignedBatch)]
    public ulong Payment_Unsigned_PerPayment() => RunPayments(UnsignedBatch);

    [Benchmark(OperationsPerInvoke = SignedBatch)]
    public ulong Payment_Signed_PerPayment() => RunPayments(SignedBatch);

    // The payment request string alone (BOLT 11 fields + bech32, and for Signed the ECDSA signature): how much
    // of a payment is spent making its invoice string.
    [Benchmark]
    public string InvoiceString_Unsigned() => EncodeInvoiceString(sign: false);

    [Benchmark]
    public string InvoiceString_Signed() => EncodeInvoiceString(sign: true);

    private readonly byte[] _paymentSecret = new byte[32];

    private string EncodeInvoiceString(bool sign) => EmbeddedPaymentRequests.Encode(
        sign, _nodes[0], _hashes[0], 1_000, "", _clock.Now, 3600, 18, _paymentSecret);

    private void Setup(bool signInvoices)
    {
        _clock = new BenchClock();
        _network = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions
        {
            TimeProvider = _clock, SignInvoices = signInvoices, Seed = 1,
        });
        _nodes = Enumerable.Range(0, NodeCount).Select(_ => _network.CreateNode(ulong.MaxValue / (2 * NodeCount))).ToArray();
        foreach (var node in _nodes)
        {
            _ = node.NodeId; // derive the keys outside the measurement
        }

        var random = new Random(2);
        _preimages = new Hash32[UnsignedBatch];
        _hashes = new Hash32[UnsignedBatch];
        var bytes = new byte[32];
        for (var i = 0; i < UnsignedBatch; i++)
        {
            random.NextBytes(bytes);
            _preimages[i] = Hash32.FromSpan(bytes);
            _hashes[i] = _preimages[i].Sha256();
        }

    }

    private ulong RunPayments(int batch)
    {
        ulong total = 0;
        var expiry = TimeSpan.FromHours(1);
        for (var i = 0; i < batch; i++)
        {
            var payee = _nodes[i % NodeCount];
            var payer = _nodes[(i * 7 + 1) % NodeCount];
            var invoice = payee.AddHoldInvoiceAsync(_hashes[i], 1_000, "", expiry, 18).Result;
            var payment = payer.PayAsync(invoice.PaymentRequest);
            payee.SettleInvoiceAsync(_preimages[i]).Wait();
            var result = payment.Result;
            if (!result.Succeeded)
            {
                throw new InvalidOperationException($"payment {i} failed: {result}");
            }

            total += result.AmountMsat;
        }

        EndBatch();
        return total;
    }

    // Lets the settled invoices age by a second and forgets them, so the same payment hashes are free again.
    private void EndBatch()
    {
        _clock.Now += TimeSpan.FromSeconds(1);
        _network.PruneResolvedInvoices(_clock.Now);
    }

    private sealed class BenchClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
