using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Embedded;

/// <summary>Everything an <see cref="EmbeddedLedger"/> holds, as plain data: what a snapshot saves and loads.</summary>
/// <param name="Invoices">Every invoice, in the order they were added.</param>
public sealed record LedgerImage(
    ulong DepositedMsat, ulong RoutingFeesMsat, IReadOnlyList<LedgerAccountImage> Accounts, IReadOnlyList<LedgerInvoiceImage> Invoices);

/// <param name="Sequence">The account's latest invoice-update sequence number.</param>
public sealed record LedgerAccountImage(ulong AvailableMsat, ulong OutgoingLockedMsat, ulong IncomingPendingMsat, ulong Sequence);

/// <param name="Payer">The account whose HTLC paid the invoice, or -1.</param>
/// <param name="FeeMsat">The routing fee locked (Accepted) or collected (Settled) with that HTLC.</param>
/// <param name="Last">The invoice's latest update: its whole state, and the sequence number and time that update got.</param>
public sealed record LedgerInvoiceImage(int Payee, int Payer, ulong FeeMsat, InvoiceUpdate Last);

public sealed partial class EmbeddedLedger
{
    /// <summary>The whole ledger as plain data (see <see cref="Import"/>).</summary>
    public LedgerImage Export()
    {
        lock (_sync)
        {
            var accounts = _accounts.Select(a => new LedgerAccountImage(a.Available, a.OutgoingLocked, a.IncomingPending, a.Sequence)).ToList();
            var invoices = _accounts
                .SelectMany(a => a.Invoices?.Values ?? Enumerable.Empty<Invoice>())
                .OrderBy(i => i.Ordinal)
                .Select(i => new LedgerInvoiceImage(i.Payee, i.Payer, i.FeeMsat, i.Last!))
                .ToList();
            return new LedgerImage(_depositedMsat, _routingFeesMsat, accounts, invoices);
        }
    }

    /// <summary>
    /// Loads an image into this empty ledger: accounts, invoices and their pending deadlines (applied in the same
    /// order as in the ledger it came from). Every field is checked, then the books (<see cref="CheckInvariants"/>):
    /// an image that does not add up is refused and the ledger stays empty.
    /// </summary>
    /// <param name="paymentFor">The payment object of each Accepted invoice (what the payer passed to Pay; the observer gets it back when the HTLC resolves).</param>
    /// <exception cref="InvalidDataException">The image is not a coherent ledger.</exception>
    public void Import(LedgerImage image, Func<LedgerInvoiceImage, object?>? paymentFor = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        lock (_sync)
        {
            if (_accounts.Count > 0 || _depositedMsat > 0)
            {
                throw new InvalidOperationException("only an empty ledger can be loaded from an image");
            }

            try
            {
                Load(image, paymentFor);
                CheckInvariants();
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or OverflowException)
            {
                Clear();
                throw new InvalidDataException($"ledger image: {e.Message}", e);
            }
            catch
            {
                Clear();
                throw;
            }
        }
    }

    /// <summary>Accepted invoices and the payment objects their HTLCs were locked with.</summary>
    internal List<(int Payee, int Payer, Hash32 PaymentHash, object? Payment)> PaymentsInFlight()
    {
        lock (_sync)
        {
            return _accounts
                .SelectMany(a => a.Invoices?.Values ?? Enumerable.Empty<Invoice>())
                .Where(i => i.State == InvoiceState.Accepted)
                .Select(i => (i.Payee, i.Payer, i.PaymentHash, i.Payment))
                .ToList();
        }
    }

    private void Load(LedgerImage image, Func<LedgerInvoiceImage, object?>? paymentFor)
    {
        foreach (var a in image.Accounts)
        {
            _accounts.Add(new Account { Available = a.AvailableMsat, OutgoingLocked = a.OutgoingLockedMsat, IncomingPending = a.IncomingPendingMsat, Sequence = a.Sequence });
        }

        _depositedMsat = image.DepositedMsat;
        _routingFeesMsat = image.RoutingFeesMsat;
        foreach (var item in image.Invoices)
        {
            var invoice = Restore(item);
            var account = _accounts[invoice.Payee];
            account.Invoices ??= [];
            if (!account.Invoices.TryAdd(invoice.PaymentHash, invoice))
            {
                throw new InvalidDataException($"account {invoice.Payee} has two invoices under {invoice.PaymentHash}");
            }

            if (!_byRequest.TryAdd(invoice.PaymentRequest, invoice))
            {
                throw new InvalidDataException($"two invoices share the payment request of {invoice.PaymentHash}");
            }

            switch (invoice.State)
            {
                case InvoiceState.Open:
                    PushDeadline(invoice, htlc: false, invoice.ExpiresAt);
                    break;
                case InvoiceState.Accepted:
                    invoice.Payment = paymentFor?.Invoke(item);
                    PushDeadline(invoice, htlc: true, invoice.HtlcExpiresAt!.Value);
                    break;
            }
        }
    }

    private Invoice Restore(LedgerInvoiceImage item)
    {
        var s = item.Last.Invoice;
        string? Wrong()
        {
            if ((uint)item.Payee >= (uint)_accounts.Count)
            {
                return $"payee {item.Payee} is not an account";
            }

            if (item.Last.Sequence == 0 || item.Last.Sequence > _accounts[item.Payee].Sequence)
            {
                return $"update sequence {item.Last.Sequence} is not within its account's 1..{_accounts[item.Payee].Sequence}";
            }

            if (s.AmountMsat == 0 || s.ExpiresAt <= s.CreatedAt || s.CltvExpiryDelta < 1 || s.Memo is null || string.IsNullOrEmpty(s.PaymentRequest))
            {
                return "its terms are not those of an invoice";
            }

            var paid = s.State is InvoiceState.Accepted or InvoiceState.Settled || (s.State == InvoiceState.Cancelled && s.AcceptedAt is not null);
            if (paid ? (uint)item.Payer >= (uint)_accounts.Count || s.AcceptedAt is null || s.HtlcExpiresAt is null : item.Payer != -1)
            {
                return $"payer {item.Payer} does not fit its state {s.State}";
            }

            return s.State switch
            {
                InvoiceState.Open or InvoiceState.Accepted => null,
                InvoiceState.Settled when s.Preimage is { } preimage && preimage.Sha256() == s.PaymentHash && s.SettledAt is not null => null,
                InvoiceState.Cancelled when s.CancelReason is not null && s.CancelledAt is not null => null,
                _ => $"state {s.State} lacks its preimage, times or reason",
            };
        }

        if (Wrong() is { } reason)
        {
            throw new InvalidDataException($"invoice {s.PaymentHash}: {reason}");
        }

        return new Invoice(item.Payee, s.PaymentHash, s.AmountMsat, s.Memo, s.PaymentRequest, s.CreatedAt, s.ExpiresAt, s.CltvExpiryDelta)
        {
            State = s.State,
            Payer = item.Payer,
            FeeMsat = item.FeeMsat,
            AcceptedAt = s.AcceptedAt,
            HtlcExpiresAt = s.HtlcExpiresAt,
            SettledAt = s.SettledAt,
            CancelledAt = s.CancelledAt,
            CancelReason = s.CancelReason,
            Preimage = s.Preimage,
            Last = item.Last,
            Ordinal = ++_invoiceOrdinal,
        };
    }

    private void Clear()
    {
        _accounts.Clear();
        _byRequest.Clear();
        _deadlines.Clear();
        _liveDeadlines = 0;
        _invoiceOrdinal = 0;
        _depositedMsat = 0;
        _routingFeesMsat = 0;
    }
}
