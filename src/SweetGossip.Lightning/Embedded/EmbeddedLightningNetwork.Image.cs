using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Embedded;

/// <summary>Everything an <see cref="EmbeddedLightningNetwork"/> holds, as plain data: its ledger, its nodes' keys, the payments it tracks.</summary>
/// <param name="NodeKeys">Node i's key; node i is ledger account i.</param>
public sealed record NetworkImage(LedgerImage Ledger, IReadOnlyList<PrivateKey> NodeKeys, IReadOnlyList<TrackedPaymentImage> Payments);

/// <summary>A payment TrackPayment knows: final (<paramref name="Result"/>), or in flight as the HTLC of <paramref name="Payee"/>'s Accepted invoice.</summary>
public sealed record TrackedPaymentImage(int Payer, Hash32 PaymentHash, PaymentResult? Result, int Payee = -1);

public sealed partial class EmbeddedLightningNetwork
{
    /// <summary>The whole network as plain data (see <see cref="Import"/>).</summary>
    public NetworkImage Export()
    {
        lock (_sync)
        {
            var ledger = _ledger.Export();
            var inFlight = _ledger.PaymentsInFlight()
                .Where(p => p.Payment is PaymentCompletion)
                .ToDictionary(p => (PaymentCompletion)p.Payment!, p => p.Payee);
            var payments = new List<TrackedPaymentImage>(_payments.Count);
            foreach (var ((payer, hash), completion) in _payments)
            {
                if (completion.Final is { } result)
                {
                    payments.Add(new TrackedPaymentImage(payer, hash, result));
                }
                else if (inFlight.TryGetValue(completion, out var payee))
                {
                    payments.Add(new TrackedPaymentImage(payer, hash, null, payee));
                }
            }

            return new NetworkImage(ledger, _nodes.Select(n => n.PrivateKey).ToList(), payments);
        }
    }

    /// <summary>
    /// Loads an image into this network, which must have no node yet: the ledger (checked, see
    /// <see cref="EmbeddedLedger.Import"/>), the nodes with their keys, and the tracked payments. A payment in
    /// flight gets a new task that completes when its HTLC is settled, cancelled or times out here.
    /// </summary>
    /// <exception cref="InvalidDataException">The image is not coherent.</exception>
    public void Import(NetworkImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        lock (_sync)
        {
            if (_nodes.Count > 0)
            {
                throw new InvalidOperationException("only a network without nodes can be loaded from an image");
            }

            if (image.NodeKeys.Count != image.Ledger.Accounts.Count)
            {
                throw new InvalidDataException($"network image: {image.NodeKeys.Count} node keys for {image.Ledger.Accounts.Count} accounts");
            }

            var ids = image.NodeKeys.Select(LightningNodeId.FromPrivateKey).ToList();
            if (ids.Distinct().Count() != ids.Count)
            {
                throw new InvalidDataException("network image: two nodes share a key");
            }

            var completions = new Dictionary<(int Payee, Hash32 Hash), PaymentCompletion>();
            _ledger.Import(image.Ledger, invoice => completions[(invoice.Payee, invoice.Last.PaymentHash)] = new PaymentCompletion());
            for (var i = 0; i < ids.Count; i++)
            {
                var node = new EmbeddedLightningNode(this, i, image.NodeKeys[i].ToBytes(), ids[i]);
                _nodes.Add(node);
                _byId.Add(ids[i], node);
            }

            foreach (var payment in image.Payments)
            {
                if ((uint)payment.Payer >= (uint)ids.Count)
                {
                    throw new InvalidDataException($"network image: payment by {payment.Payer}, not a node");
                }

                _payments[(payment.Payer, payment.PaymentHash)] = payment.Result is { } result
                    ? PaymentCompletion.Completed(result)
                    : completions.GetValueOrDefault((payment.Payee, payment.PaymentHash))
                      ?? throw new InvalidDataException($"network image: payment {payment.PaymentHash} in flight, but node {payment.Payee} holds no HTLC under it");
            }
        }
    }
}
