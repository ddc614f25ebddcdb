using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Embedded;

/// <summary>
/// Receives the ledger's events, in the order they happen. Called while the ledger's lock is held:
/// an observer must only record or enqueue, never call back into the ledger or block.
/// </summary>
public interface ILedgerObserver
{
    /// <summary>An invoice of <paramref name="account"/> was added or changed state.</summary>
    void OnInvoiceUpdate(int account, InvoiceUpdate update);

    /// <summary>
    /// A payment that <see cref="EmbeddedLedger.Pay"/> had locked reached its final state.
    /// <paramref name="payment"/> is the object the payer passed to Pay.
    /// </summary>
    void OnPaymentResolved(int payer, object? payment, PaymentResult result);
}

/// <summary>
/// The embedded Lightning network's books: one account per node, hold invoices and the HTLCs locked
/// under their payment hashes. Pure and synchronous: no tasks, no clock (every operation is given
/// <c>now</c>), no randomness. Every public member takes one lock, so it is safe from any thread.
///
/// <para>Model. There are no channels: any account can pay any other directly (one "hop"), so liquidity
/// is each account's balance and routing is trivial. A payment locks amount + fee from the payer's
/// available balance into an HTLC keyed by (payee, payment hash); the payee's invoice becomes Accepted.
/// Settling with the preimage credits the payee with the amount and the network's routing-fee pot with the
/// fee; cancelling (by the payee, or when the hold times out) returns amount + fee to the payer.
/// Money is never created or destroyed after <see cref="OpenAccount"/>: <see cref="TotalMsat"/>
/// always equals <see cref="DepositedMsat"/>.</para>
///
/// <para>Time. An Open invoice can be paid strictly before its ExpiresAt. An Accepted invoice must be
/// settled strictly before AcceptedAt + CltvExpiryDelta × block interval (its HTLC's timeout).
/// A deadline that has passed is applied by <see cref="ExpireDue"/> or, at the latest, by the next
/// operation that touches the invoice, so results never depend on when ExpireDue last ran.</para>
/// </summary>
public sealed partial class EmbeddedLedger
{
    private readonly object _sync = new();
    private readonly ILedgerObserver? _observer;
    private readonly TimeSpan _blockInterval;
    private readonly ulong _feeBaseMsat;
    private readonly uint _feePpm;
    private readonly List<Account> _accounts = [];
    private readonly Dictionary<string, Invoice> _byRequest = new(StringComparer.Ordinal);
    // Ordered by (due, the invoice's creation order): ties fall the same way whatever the heap's history,
    // so a ledger loaded from an image (Import) applies the same deadlines in the same order as the original.
    private readonly PriorityQueue<Deadline, (DateTimeOffset Due, long Ordinal)> _deadlines = new();
    private long _invoiceOrdinal;
    private int _liveDeadlines;
    private ulong _depositedMsat;
    private ulong _routingFeesMsat;

    /// <param name="observer">Gets every invoice update and payment result, under the lock.</param>
    /// <param name="blockInterval">Converts CLTV deltas (blocks) to time; default 10 minutes.</param>
    /// <param name="routingFeeBaseMsat">Flat fee per payment, charged to the payer; default 0.</param>
    /// <param name="routingFeePpm">Proportional fee per payment in millionths of the amount; default 0.</param>
    public EmbeddedLedger(
        ILedgerObserver? observer = null,
        TimeSpan? blockInterval = null,
        ulong routingFeeBaseMsat = 0,
        uint routingFeePpm = 0)
    {
        _observer = observer;
        _blockInterval = blockInterval ?? TimeSpan.FromMinutes(10);
        if (_blockInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(blockInterval), "block interval must be positive");
        }

        _feeBaseMsat = routingFeeBaseMsat;
        _feePpm = routingFeePpm;
    }

    /// <summary>The lock every operation takes; the network uses it to keep its subscriptions in step.</summary>
    internal object SyncRoot => _sync;

    public TimeSpan BlockInterval => _blockInterval;

    public int AccountCount
    {
        get
        {
            lock (_sync)
            {
                return _accounts.Count;
            }
        }
    }

    /// <summary>Sum of all initial balances: the only way money enters.</summary>
    public ulong DepositedMsat
    {
        get
        {
            lock (_sync)
            {
                return _depositedMsat;
            }
        }
    }

    /// <summary>Fees of settled payments, held by the network (the notional routing nodes).</summary>
    public ulong RoutingFeesMsat
    {
        get
        {
            lock (_sync)
            {
                return _routingFeesMsat;
            }
        }
    }

    /// <summary>
    /// Σ (available + outgoing locked) over all accounts + routing fees collected, summed afresh from the
    /// accounts (not a counter), so comparing it with <see cref="DepositedMsat"/> is a real check.
    /// </summary>
    public ulong TotalMsat
    {
        get
        {
            lock (_sync)
            {
                var total = _routingFeesMsat;
                foreach (var account in _accounts)
                {
                    total = checked(total + account.Available + account.OutgoingLocked);
                }

                return total;
            }
        }
    }

    /// <summary>Number of Open plus Accepted invoices (each has one pending deadline).</summary>
    public int PendingInvoiceCount
    {
        get
        {
            lock (_sync)
            {
                return _liveDeadlines;
            }
        }
    }

    /// <summary>The earliest pending deadline (invoice expiry or HTLC timeout), if any.</summary>
    public DateTimeOffset? NextDeadline
    {
        get
        {
            lock (_sync)
            {
                DropStaleDeadlineHead();
                return _deadlines.TryPeek(out _, out var due) ? due.Due : null;
            }
        }
    }

    /// <summary>Opens an account with an initial balance; returns its index (0, 1, 2, ...).</summary>
    public int OpenAccount(ulong initialBalanceMsat)
    {
        lock (_sync)
        {
            var total = _depositedMsat + initialBalanceMsat;
            if (total < _depositedMsat)
            {
                throw new OverflowException("total money in the ledger would exceed 2^64 msat");
            }

            _depositedMsat = total;
            _accounts.Add(new Account { Available = initialBalanceMsat });
            return _accounts.Count - 1;
        }
    }

    public LightningBalance GetBalance(int account)
    {
        lock (_sync)
        {
            var a = GetAccount(account);
            return new LightningBalance(a.Available, a.OutgoingLocked, a.IncomingPending);
        }
    }

    /// <summary>The sequence number of the account's latest invoice update (0 before its first).</summary>
    public ulong InvoiceSequence(int account)
    {
        lock (_sync)
        {
            return GetAccount(account).Sequence;
        }
    }

    /// <summary>The account whose HTLC paid the invoice (Accepted, Settled, or Cancelled after it was paid); -1 if none did.</summary>
    public int PayerOf(int payee, Hash32 paymentHash)
    {
        lock (_sync)
        {
            var invoices = GetAccount(payee).Invoices;
            return invoices is not null && invoices.TryGetValue(paymentHash, out var invoice) ? invoice.Payer : -1;
        }
    }

    /// <summary>
    /// The latest update of every invoice of <paramref name="account"/> that changed after sequence <paramref name="after"/>,
    /// in sequence order, at most <paramref name="limit"/>: the account's update log compacted to current states, for a
    /// subscriber that fell behind a bounded log. <paramref name="next"/> is where to continue from: the account's
    /// sequence now when everything fitted, else the last update returned.
    /// </summary>
    public IReadOnlyList<InvoiceUpdate> LatestUpdatesAfter(int account, ulong after, int limit, out ulong next)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_sync)
        {
            var a = GetAccount(account);
            var changed = (a.Invoices?.Values ?? Enumerable.Empty<Invoice>())
                .Select(i => i.Last!)
                .Where(u => u.Sequence > after)
                .OrderBy(u => u.Sequence)
                .Take(limit + 1)
                .ToList();
            if (changed.Count > limit)
            {
                changed.RemoveAt(limit);
                next = changed[^1].Sequence;
            }
            else
            {
                next = Math.Max(after, a.Sequence);
            }

            return changed;
        }
    }

    /// <summary>The fee a payment of <paramref name="amountMsat"/> costs on top of the amount.</summary>
    public ulong FeeFor(ulong amountMsat) =>
        checked(_feeBaseMsat + (ulong)(((UInt128)amountMsat * _feePpm) / 1_000_000));

    public bool HasInvoice(int account, Hash32 paymentHash)
    {
        lock (_sync)
        {
            return GetAccount(account).Invoices?.ContainsKey(paymentHash) == true;
        }
    }

    /// <summary>
    /// Adds an Open invoice for <paramref name="payee"/>. <paramref name="paymentRequest"/> is stored
    /// opaquely so that <see cref="PayRequest"/> can find the invoice by it.
    /// </summary>
    /// <exception cref="LightningException">DuplicatePaymentHash, InvalidArgument.</exception>
    public InvoiceStatus AddInvoice(
        int payee,
        Hash32 paymentHash,
        ulong amountMsat,
        string memo,
        string paymentRequest,
        DateTimeOffset createdAt,
        DateTimeOffset expiresAt,
        int cltvExpiryDelta,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(memo);
        ArgumentNullException.ThrowIfNull(paymentRequest);
        if (amountMsat == 0)
        {
            throw new LightningException(LightningErrorCode.InvalidArgument, "invoice amount must be positive");
        }

        if (expiresAt <= createdAt)
        {
            throw new LightningException(LightningErrorCode.InvalidArgument, "invoice must expire after it is created");
        }

        if (cltvExpiryDelta < 1)
        {
            throw new LightningException(LightningErrorCode.InvalidArgument, "cltv expiry delta must be at least 1 block");
        }

        lock (_sync)
        {
            var account = GetAccount(payee);
            account.Invoices ??= [];
            if (account.Invoices.ContainsKey(paymentHash))
            {
                throw new LightningException(
                    LightningErrorCode.DuplicatePaymentHash,
                    $"an invoice with payment hash {paymentHash} already exists");
            }

            if (_byRequest.ContainsKey(paymentRequest))
            {
                throw new LightningException(LightningErrorCode.InvalidArgument, "payment request string is already in use");
            }

            var invoice = new Invoice(payee, paymentHash, amountMsat, memo, paymentRequest, createdAt, expiresAt, cltvExpiryDelta) { Ordinal = ++_invoiceOrdinal };
            account.Invoices.Add(paymentHash, invoice);
            _byRequest.Add(paymentRequest, invoice);
            PushDeadline(invoice, htlc: false, expiresAt);
            Publish(account, invoice, now);
            return invoice.Last!.Invoice;
        }
    }

    /// <summary>The invoice's current state (after applying any deadline that has passed).</summary>
    /// <exception cref="LightningException">InvoiceNotFound.</exception>
    public InvoiceStatus Lookup(int payee, Hash32 paymentHash, DateTimeOffset now) =>
        TryLookup(payee, paymentHash, now, out var status)
            ? status
            : throw new LightningException(LightningErrorCode.InvoiceNotFound, $"no invoice with payment hash {paymentHash}");

    public bool TryLookup(int payee, Hash32 paymentHash, DateTimeOffset now, out InvoiceStatus status)
    {
        lock (_sync)
        {
            if (TryGetLastUpdate(payee, paymentHash, now, out var update))
            {
                status = update.Invoice;
                return true;
            }

            status = null!;
            return false;
        }
    }

    /// <summary>The latest update of an invoice (its current state and the sequence number it got), if it exists.</summary>
    public bool TryGetLastUpdate(int payee, Hash32 paymentHash, DateTimeOffset now, out InvoiceUpdate update)
    {
        lock (_sync)
        {
            var account = GetAccount(payee);
            if (account.Invoices is null || !account.Invoices.TryGetValue(paymentHash, out var invoice))
            {
                update = null!;
                return false;
            }

            ApplyDue(invoice, now);
            update = invoice.Last!;
            return true;
        }
    }

    /// <summary>
    /// Resolves a payment request this ledger stored with <see cref="AddInvoice"/> and pays it, in one step.
    /// Returns false (and no result) when the string is unknown to the ledger.
    /// </summary>
    public bool TryPayRequest(int payer, string paymentRequest, object? payment, DateTimeOffset now, out PaymentResult? immediateResult)
    {
        ArgumentNullException.ThrowIfNull(paymentRequest);
        lock (_sync)
        {
            if (!_byRequest.TryGetValue(paymentRequest, out var invoice))
            {
                immediateResult = null;
                return false;
            }

            immediateResult = PayLocked(payer, invoice, invoice.AmountMsat, payment, now);
            return true;
        }
    }

    /// <summary>
    /// Looks up a payment request stored with <see cref="AddInvoice"/>: its payee account and current status.
    /// </summary>
    public bool TryFindRequest(string paymentRequest, out int payee, out InvoiceStatus status)
    {
        ArgumentNullException.ThrowIfNull(paymentRequest);
        lock (_sync)
        {
            if (_byRequest.TryGetValue(paymentRequest, out var invoice))
            {
                payee = invoice.Payee;
                status = invoice.Last!.Invoice;
                return true;
            }

            payee = -1;
            status = null!;
            return false;
        }
    }

    /// <summary>
    /// Pays <paramref name="payee"/>'s invoice under <paramref name="paymentHash"/> for exactly
    /// <paramref name="amountMsat"/>. Returns null when the HTLC is locked (the payment is in flight and
    /// its result will reach the observer with <paramref name="payment"/>), or the failure if it could not start.
    /// </summary>
    public PaymentResult? Pay(int payer, int payee, Hash32 paymentHash, ulong amountMsat, object? payment, DateTimeOffset now)
    {
        lock (_sync)
        {
            GetAccount(payer);
            if ((uint)payee >= (uint)_accounts.Count)
            {
                return PaymentResult.Failure(paymentHash, amountMsat, PaymentFailureReason.UnknownPayee, $"no account {payee}");
            }

            var invoices = _accounts[payee].Invoices;
            if (invoices is null || !invoices.TryGetValue(paymentHash, out var invoice))
            {
                return PaymentResult.Failure(
                    paymentHash, amountMsat, PaymentFailureReason.InvalidInvoice, "the payee has no invoice with this payment hash");
            }

            return PayLocked(payer, invoice, amountMsat, payment, now);
        }
    }

    /// <summary>Settles the Accepted invoice of <paramref name="payee"/> whose hash is SHA-256(preimage).</summary>
    /// <exception cref="LightningException">NoInvoiceForPreimage, InvoiceNotAccepted, InvoiceAlreadySettled, InvoiceCancelled.</exception>
    public void Settle(int payee, Hash32 preimage, DateTimeOffset now)
    {
        var paymentHash = preimage.Sha256();
        lock (_sync)
        {
            var account = GetAccount(payee);
            if (account.Invoices is null || !account.Invoices.TryGetValue(paymentHash, out var invoice))
            {
                throw new LightningException(
                    LightningErrorCode.NoInvoiceForPreimage,
                    $"no invoice has payment hash SHA-256(preimage) = {paymentHash}: wrong preimage or unknown invoice");
            }

            ApplyDue(invoice, now);
            switch (invoice.State)
            {
                case InvoiceState.Open:
                    throw new LightningException(
                        LightningErrorCode.InvoiceNotAccepted,
                        $"invoice {paymentHash} is Open: there is no HTLC to settle until it is paid");
                case InvoiceState.Settled:
                    throw new LightningException(LightningErrorCode.InvoiceAlreadySettled, $"invoice {paymentHash} is already settled");
                case InvoiceState.Cancelled:
                    throw new LightningException(
                        LightningErrorCode.InvoiceCancelled, $"invoice {paymentHash} is cancelled ({invoice.CancelReason})");
            }

            var payer = _accounts[invoice.Payer];
            var locked = invoice.AmountMsat + invoice.FeeMsat;
            payer.OutgoingLocked -= locked;
            account.IncomingPending -= invoice.AmountMsat;
            account.Available += invoice.AmountMsat;
            _routingFeesMsat += invoice.FeeMsat;

            invoice.State = InvoiceState.Settled;
            invoice.SettledAt = now;
            invoice.Preimage = preimage;
            _liveDeadlines--;
            Publish(account, invoice, now);
            ResolvePayment(
                invoice,
                PaymentResult.Success(paymentHash, invoice.AmountMsat, invoice.FeeMsat, preimage));
        }
    }

    /// <summary>
    /// Cancels an Open or Accepted invoice (an HTLC goes back to the payer). A Cancelled invoice stays as it is.
    /// </summary>
    /// <exception cref="LightningException">InvoiceNotFound, InvoiceAlreadySettled.</exception>
    public void Cancel(int payee, Hash32 paymentHash, DateTimeOffset now)
    {
        lock (_sync)
        {
            var account = GetAccount(payee);
            if (account.Invoices is null || !account.Invoices.TryGetValue(paymentHash, out var invoice))
            {
                throw new LightningException(LightningErrorCode.InvoiceNotFound, $"no invoice with payment hash {paymentHash}");
            }

            ApplyDue(invoice, now);
            switch (invoice.State)
            {
                case InvoiceState.Settled:
                    throw new LightningException(
                        LightningErrorCode.InvoiceAlreadySettled, $"invoice {paymentHash} is settled and can no longer be cancelled");
                case InvoiceState.Cancelled:
                    return;
                default:
                    CancelLocked(invoice, InvoiceCancelReason.CancelledByPayee, now);
                    return;
            }
        }
    }

    /// <summary>
    /// Applies every deadline at or before <paramref name="now"/>: Open invoices past their expiry and
    /// Accepted invoices past their HTLC timeout become Cancelled (funds back to payers). Returns how many.
    /// </summary>
    public int ExpireDue(DateTimeOffset now)
    {
        lock (_sync)
        {
            var expired = 0;
            while (_deadlines.TryPeek(out var deadline, out var due) && due.Due <= now)
            {
                _deadlines.Dequeue();
                if (deadline.IsLive && ApplyDue(deadline.Invoice, now))
                {
                    expired++;
                }
            }

            return expired;
        }
    }

    /// <summary>
    /// Forgets Settled and Cancelled invoices resolved before <paramref name="resolvedBefore"/>, so that a
    /// long simulation's memory stays bounded. Their payment hashes become free again and lookups fail.
    /// </summary>
    public int PruneResolved(DateTimeOffset resolvedBefore)
    {
        lock (_sync)
        {
            var pruned = 0;
            var doomed = new List<Hash32>();
            foreach (var account in _accounts)
            {
                if (account.Invoices is null || account.Invoices.Count == 0)
                {
                    continue;
                }

                doomed.Clear();
                foreach (var (hash, invoice) in account.Invoices)
                {
                    var resolvedAt = invoice.State switch
                    {
                        InvoiceState.Settled => invoice.SettledAt,
                        InvoiceState.Cancelled => invoice.CancelledAt,
                        _ => null,
                    };
                    if (resolvedAt < resolvedBefore)
                    {
                        doomed.Add(hash);
                        _byRequest.Remove(invoice.PaymentRequest);
                    }
                }

                foreach (var hash in doomed)
                {
                    account.Invoices.Remove(hash);
                }

                pruned += doomed.Count;
            }

            return pruned;
        }
    }

    /// <summary>
    /// Checks the books: money is conserved, and every locked msat is accounted for by exactly one
    /// Accepted invoice (payer side: amount + fee; payee side: amount). Throws if not; for tests and audits.
    /// </summary>
    public void CheckInvariants()
    {
        lock (_sync)
        {
            UInt128 total = _routingFeesMsat;
            var outgoing = new UInt128[_accounts.Count];
            var incoming = new UInt128[_accounts.Count];
            foreach (var account in _accounts)
            {
                total += account.Available;
                total += account.OutgoingLocked;
                if (account.Invoices is null)
                {
                    continue;
                }

                foreach (var invoice in account.Invoices.Values)
                {
                    if (invoice.State == InvoiceState.Accepted)
                    {
                        outgoing[invoice.Payer] += invoice.AmountMsat + invoice.FeeMsat;
                        incoming[invoice.Payee] += invoice.AmountMsat;
                    }
                }
            }

            if (total != _depositedMsat)
            {
                throw new InvalidOperationException($"money not conserved: total {total} != deposited {_depositedMsat}");
            }

            for (var i = 0; i < _accounts.Count; i++)
            {
                if (outgoing[i] != _accounts[i].OutgoingLocked || incoming[i] != _accounts[i].IncomingPending)
                {
                    throw new InvalidOperationException(
                        $"account {i}: locked out {_accounts[i].OutgoingLocked} / in {_accounts[i].IncomingPending}, " +
                        $"but its Accepted HTLCs sum to out {outgoing[i]} / in {incoming[i]}");
                }
            }
        }
    }

    private PaymentResult? PayLocked(int payer, Invoice invoice, ulong amountMsat, object? payment, DateTimeOffset now)
    {
        var hash = invoice.PaymentHash;
        var from = GetAccount(payer);
        if (amountMsat != invoice.AmountMsat)
        {
            return PaymentResult.Failure(
                hash, amountMsat, PaymentFailureReason.InvalidInvoice,
                $"amount {amountMsat} msat does not match the invoice's {invoice.AmountMsat} msat");
        }

        ApplyDue(invoice, now);
        switch (invoice.State)
        {
            case InvoiceState.Accepted:
            case InvoiceState.Settled:
                return PaymentResult.Failure(hash, amountMsat, PaymentFailureReason.AlreadyPaid, $"invoice is already paid ({invoice.State})");
            case InvoiceState.Cancelled when invoice.CancelReason == InvoiceCancelReason.Expired:
                return PaymentResult.Failure(hash, amountMsat, PaymentFailureReason.InvoiceExpired, $"invoice expired at {invoice.ExpiresAt:O}");
            case InvoiceState.Cancelled:
                return PaymentResult.Failure(hash, amountMsat, PaymentFailureReason.PayeeCancelled, $"the payee cancelled the invoice ({invoice.CancelReason})");
        }

        ulong fee;
        ulong locked;
        try
        {
            fee = FeeFor(amountMsat);
            locked = checked(amountMsat + fee);
        }
        catch (OverflowException)
        {
            return PaymentResult.Failure(hash, amountMsat, PaymentFailureReason.InsufficientBalance, "amount + fee exceeds 2^64 msat");
        }

        if (from.Available < locked)
        {
            return PaymentResult.Failure(
                hash, amountMsat, PaymentFailureReason.InsufficientBalance,
                $"available {from.Available} msat < amount {amountMsat} + fee {fee} msat");
        }

        var to = _accounts[invoice.Payee];
        from.Available -= locked;
        from.OutgoingLocked += locked;
        to.IncomingPending += amountMsat;

        invoice.State = InvoiceState.Accepted;
        invoice.Payer = payer;
        invoice.FeeMsat = fee;
        invoice.Payment = payment;
        invoice.AcceptedAt = now;
        invoice.HtlcExpiresAt = AddSaturating(now, _blockInterval * invoice.CltvExpiryDelta);
        _liveDeadlines--; // the invoice-expiry deadline is now stale
        PushDeadline(invoice, htlc: true, invoice.HtlcExpiresAt.Value);
        Publish(to, invoice, now);
        return null;
    }

    /// <summary>Applies the invoice's deadline if it has passed; true if that cancelled it.</summary>
    private bool ApplyDue(Invoice invoice, DateTimeOffset now)
    {
        switch (invoice.State)
        {
            case InvoiceState.Open when now >= invoice.ExpiresAt:
                CancelLocked(invoice, InvoiceCancelReason.Expired, now);
                return true;
            case InvoiceState.Accepted when now >= invoice.HtlcExpiresAt:
                CancelLocked(invoice, InvoiceCancelReason.HoldExpired, now);
                return true;
            default:
                return false;
        }
    }

    private void CancelLocked(Invoice invoice, InvoiceCancelReason reason, DateTimeOffset now)
    {
        var payee = _accounts[invoice.Payee];
        var wasAccepted = invoice.State == InvoiceState.Accepted;
        if (wasAccepted)
        {
            var payer = _accounts[invoice.Payer];
            var locked = invoice.AmountMsat + invoice.FeeMsat;
            payer.OutgoingLocked -= locked;
            payer.Available += locked;
            payee.IncomingPending -= invoice.AmountMsat;
        }

        invoice.State = InvoiceState.Cancelled;
        invoice.CancelledAt = now;
        invoice.CancelReason = reason;
        _liveDeadlines--;
        Publish(payee, invoice, now);

        if (wasAccepted)
        {
            var (failure, message) = reason == InvoiceCancelReason.HoldExpired
                ? (PaymentFailureReason.HoldExpired, $"the payee did not settle before the HTLC timed out at {invoice.HtlcExpiresAt:O}")
                : (PaymentFailureReason.PayeeCancelled, "the payee cancelled the invoice while holding the HTLC");
            ResolvePayment(invoice, PaymentResult.Failure(invoice.PaymentHash, invoice.AmountMsat, failure, message));
        }
    }

    private void ResolvePayment(Invoice invoice, PaymentResult result)
    {
        var payment = invoice.Payment;
        invoice.Payment = null;
        _observer?.OnPaymentResolved(invoice.Payer, payment, result);
    }

    private void Publish(Account account, Invoice invoice, DateTimeOffset now)
    {
        var status = new InvoiceStatus
        {
            PaymentHash = invoice.PaymentHash,
            State = invoice.State,
            AmountMsat = invoice.AmountMsat,
            AmountPaidMsat = invoice.State is InvoiceState.Accepted or InvoiceState.Settled ? invoice.AmountMsat : 0,
            Memo = invoice.Memo,
            PaymentRequest = invoice.PaymentRequest,
            CreatedAt = invoice.CreatedAt,
            ExpiresAt = invoice.ExpiresAt,
            CltvExpiryDelta = invoice.CltvExpiryDelta,
            AcceptedAt = invoice.AcceptedAt,
            HtlcExpiresAt = invoice.HtlcExpiresAt,
            SettledAt = invoice.SettledAt,
            CancelledAt = invoice.CancelledAt,
            CancelReason = invoice.CancelReason,
            Preimage = invoice.Preimage,
        };
        var update = new InvoiceUpdate(++account.Sequence, now, status);
        invoice.Last = update;
        _observer?.OnInvoiceUpdate(invoice.Payee, update);
    }

    private void PushDeadline(Invoice invoice, bool htlc, DateTimeOffset due)
    {
        _liveDeadlines++;

        // Settled and cancelled invoices leave stale entries behind; rebuild once they dominate so the
        // heap stays proportional to the pending invoices (amortised O(1) per push).
        if (_deadlines.Count > 1024 && _deadlines.Count > 2 * _liveDeadlines)
        {
            var live = _deadlines.UnorderedItems.Where(e => e.Element.IsLive).ToArray();
            _deadlines.Clear();
            _deadlines.EnqueueRange(live);
        }

        _deadlines.Enqueue(new Deadline(invoice, htlc), (due, invoice.Ordinal));
    }

    private void DropStaleDeadlineHead()
    {
        while (_deadlines.TryPeek(out var head, out _) && !head.IsLive)
        {
            _deadlines.Dequeue();
        }
    }

    private Account GetAccount(int index) =>
        (uint)index < (uint)_accounts.Count
            ? _accounts[index]
            : throw new ArgumentOutOfRangeException(nameof(index), index, "no such account");

    private static DateTimeOffset AddSaturating(DateTimeOffset time, TimeSpan span) =>
        span >= DateTimeOffset.MaxValue - time ? DateTimeOffset.MaxValue : time + span;

    private sealed class Account
    {
        public ulong Available;
        public ulong OutgoingLocked;
        public ulong IncomingPending;
        public ulong Sequence;
        public Dictionary<Hash32, Invoice>? Invoices;
    }

    private sealed class Invoice(
        int payee,
        Hash32 paymentHash,
        ulong amountMsat,
        string memo,
        string paymentRequest,
        DateTimeOffset createdAt,
        DateTimeOffset expiresAt,
        int cltvExpiryDelta)
    {
        public readonly int Payee = payee;
        public readonly Hash32 PaymentHash = paymentHash;
        public readonly ulong AmountMsat = amountMsat;
        public readonly string Memo = memo;
        public readonly string PaymentRequest = paymentRequest;
        public readonly DateTimeOffset CreatedAt = createdAt;
        public readonly DateTimeOffset ExpiresAt = expiresAt;
        public readonly int CltvExpiryDelta = cltvExpiryDelta;

        public InvoiceState State = InvoiceState.Open;
        public int Payer = -1;
        public ulong FeeMsat;
        public object? Payment;
        public DateTimeOffset? AcceptedAt;
        public DateTimeOffset? HtlcExpiresAt;
        public DateTimeOffset? SettledAt;
        public DateTimeOffset? CancelledAt;
        public InvoiceCancelReason? CancelReason;
        public Hash32? Preimage;
        public InvoiceUpdate? Last;
        public long Ordinal;
    }

    private readonly record struct Deadline(Invoice Invoice, bool Htlc)
    {
        public bool IsLive => Htlc ? Invoice.State == InvoiceState.Accepted : Invoice.State == InvoiceState.Open;
    }
}
