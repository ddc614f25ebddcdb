using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Chain;

/// <summary>Where one relayed reply payment stands, from the middleman's point of view.</summary>
public enum RelayState
{
    /// <summary>Our upstream hold invoice is issued; we have paid nothing.</summary>
    AwaitingUpstreamPayment,

    /// <summary>Our upstream invoice is Accepted (our incoming HTLC is locked) and we are paying the downstream invoice.</summary>
    PayingDownstream,

    /// <summary>Downstream settled, we learned the preimage and settled upstream: we earned the fee. Final.</summary>
    Settled,

    /// <summary>
    /// Nothing lost, nothing earned: the upstream invoice was never paid (cancelled or expired), or the
    /// downstream payment failed and we cancelled upstream (the upstream payer got its HTLC back). Final.
    /// </summary>
    Refunded,

    /// <summary>
    /// We paid downstream but could not settle upstream (our incoming HTLC was gone). The deadline rule
    /// prevents this; it is reported rather than hidden if a node's clock or view lags. Final.
    /// </summary>
    Failed,
}

/// <summary>The final state of a relay and why.</summary>
public sealed record RelayOutcome(RelayState State, string Reason, PaymentResult? DownstreamPayment);

/// <summary>
/// One middleman's part in a reply payment chain (pay-to-reveal), for one relayed reply.
///
/// <para>Given the downstream hop's hold invoice (payment hash H, amount a), the middleman issues its own
/// hold invoice upstream under the same H for a + fee. Only when that upstream invoice becomes Accepted
/// (the upstream payer's HTLC is locked with us) does it pay the downstream invoice. When that payment
/// succeeds, the preimage it returns settles the upstream invoice. If the upstream invoice is cancelled
/// or expires before being paid, it never pays; if the downstream payment fails, it cancels the upstream
/// invoice so the upstream payer is refunded. So an honest middleman never pays without being paid.</para>
///
/// <para>Deadlines. An Accepted hold invoice must be settled before its HTLC times out
/// (accepted time + CLTV delta blocks). The downstream HTLC must therefore time out sufficiently before the
/// upstream one, or the downstream payee could settle (taking our money) so late that our upstream HTLC is
/// already gone. The relay enforces: upstream delta ≥ downstream delta + <see cref="PaymentRelayPolicy.MinCltvDeltaMargin"/>
/// (refusal otherwise), and re-checks at payment time against the actual upstream HTLC timeout. CLTV deltas
/// thus decrease towards the replier. The upstream invoice's own payable window is cut to end no later than
/// the downstream invoice's, so it cannot be paid when the downstream one can no longer be.</para>
/// </summary>
public sealed class MiddlemanPaymentRelay : IDisposable
{
    private readonly object _gate = new();
    private readonly ILightningNode _node;
    private readonly PaymentRelayPolicy _policy;
    private readonly string _downstreamRequest;
    private readonly TaskCompletionSource<RelayOutcome> _completion = new();
    private IDisposable? _subscription;
    private RelayState _state = RelayState.AwaitingUpstreamPayment;
    private bool _upstreamCancelledWhilePaying;
    private bool _finished;
    private string? _refundReason;
    private PaymentResult? _downstreamPayment;

    private MiddlemanPaymentRelay(
        ILightningNode node, PaymentRelayPolicy policy, string downstreamRequest, DecodedPaymentRequest downstream, ulong feeMsat)
    {
        _node = node;
        _policy = policy;
        _downstreamRequest = downstreamRequest;
        Downstream = downstream;
        FeeMsat = feeMsat;
    }

    public RelayState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>The invoice to send upstream (with the reply), under the same payment hash.</summary>
    public HoldInvoice UpstreamInvoice { get; private set; } = null!;

    /// <summary>The downstream hop's invoice, decoded.</summary>
    public DecodedPaymentRequest Downstream { get; }

    public Hash32 PaymentHash => Downstream.PaymentHash;

    public ulong FeeMsat { get; }

    /// <summary>Completes with the final state (Settled, Refunded or Failed).</summary>
    public Task<RelayOutcome> Completion => _completion.Task;

    /// <summary>
    /// Checks the downstream invoice against the terms and policy, issues the upstream hold invoice and starts
    /// watching it. Nothing is paid here.
    /// </summary>
    /// <exception cref="RelayRefusedException">Relaying would be unsafe or impossible.</exception>
    public static async Task<MiddlemanPaymentRelay> StartAsync(
        ILightningNode node,
        string downstreamPaymentRequest,
        RelayTerms terms,
        PaymentRelayPolicy? policy = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(downstreamPaymentRequest);
        ArgumentNullException.ThrowIfNull(terms);
        policy ??= new PaymentRelayPolicy();

        DecodedPaymentRequest downstream;
        try
        {
            downstream = await node.DecodePaymentRequestAsync(downstreamPaymentRequest, ct).ConfigureAwait(false);
        }
        catch (LightningException e)
        {
            throw new RelayRefusedException(RelayRefusalReason.InvalidDownstreamInvoice, e.Message, e);
        }

        var plan = RelayPlan.For(downstream, terms, policy);

        var relay = new MiddlemanPaymentRelay(node, policy, downstreamPaymentRequest, downstream, terms.FeeMsat);
        try
        {
            relay.UpstreamInvoice = await node.AddHoldInvoiceAsync(
                downstream.PaymentHash, plan.UpstreamAmountMsat, terms.Memo, plan.UpstreamExpiry, plan.UpstreamCltvExpiryDelta, ct).ConfigureAwait(false);
        }
        catch (LightningException e) when (e.Code == LightningErrorCode.DuplicatePaymentHash)
        {
            throw new RelayRefusedException(RelayRefusalReason.AlreadyRelaying, e.Message, e);
        }

        // Subscribed after issuing: the first update is the invoice's current state, then every change.
        relay.Watch(node.SubscribeSingleInvoice(downstream.PaymentHash, relay.OnUpstreamUpdate));
        return relay;
    }

    /// <summary>
    /// Gives up on a relay whose upstream invoice has not been paid: cancels it (Refunded). Once the
    /// downstream payment is in flight it cannot be recalled, and this does nothing.
    /// </summary>
    public async Task AbandonAsync()
    {
        lock (_gate)
        {
            if (_state != RelayState.AwaitingUpstreamPayment)
            {
                return;
            }
        }

        try
        {
            await _node.CancelInvoiceAsync(PaymentHash).ConfigureAwait(false);
        }
        catch (LightningException)
        {
            // Settled meanwhile cannot happen before we pay; anything else leaves the state to the updates.
        }
    }

    /// <summary>Stops listening. The relay no longer reacts to its invoice; prefer letting it finish.</summary>
    public void Dispose() => Interlocked.Exchange(ref _subscription, null)?.Dispose();

    public override string ToString() => $"relay {PaymentHash} ({State}, fee {FeeMsat} msat)";

    private void Watch(IDisposable subscription)
    {
        _subscription = subscription;
        if (_completion.Task.IsCompleted)
        {
            Dispose();
        }
    }

    private void OnUpstreamUpdate(InvoiceUpdate update)
    {
        var payDownstream = false;
        string? refuseReason = null;
        RelayOutcome? outcome = null;
        lock (_gate)
        {
            switch (update.State)
            {
                case InvoiceState.Accepted when _state == RelayState.AwaitingUpstreamPayment && _refundReason is null:
                    // Re-check the deadline rule against the real upstream HTLC timeout: the downstream HTLC,
                    // locked now, must time out at least the margin before it.
                    var now = _policy.TimeProvider.GetUtcNow();
                    var needed = _policy.BlockInterval * (Downstream.CltvExpiryDelta + _policy.MinCltvDeltaMargin);
                    if (update.Invoice.HtlcExpiresAt is { } upstreamTimeout && now + needed > upstreamTimeout)
                    {
                        refuseReason = _refundReason =
                            $"too late to pay downstream: its HTLC could outlive ours (which times out at {upstreamTimeout:O})";
                        break;
                    }

                    _state = RelayState.PayingDownstream;
                    payDownstream = true;
                    break;

                case InvoiceState.Cancelled when _state == RelayState.AwaitingUpstreamPayment:
                    outcome = FinishLocked(
                        RelayState.Refunded,
                        _refundReason ?? $"upstream invoice {update.Invoice.CancelReason} before it was paid; nothing paid",
                        null);
                    break;

                case InvoiceState.Cancelled when _state == RelayState.PayingDownstream:
                    _upstreamCancelledWhilePaying = true;
                    break;
            }
        }

        if (outcome is not null)
        {
            Complete(outcome);
        }
        else if (refuseReason is not null)
        {
            CancelUpstream(refuseReason, null);
        }
        else if (payDownstream)
        {
            PayDownstream();
        }
    }

    // The steps below chain with ContinueWith(ExecuteSynchronously, TaskScheduler.Default) rather than await:
    // that runs them inline on the thread that completes the task whatever its SynchronizationContext or
    // TaskScheduler (an awaited ConfigureAwait(false) continuation is queued to the thread pool under a
    // context), so with the embedded network a whole chain resolves deterministically on one thread.
    private static void Then<T>(Task<T> task, MiddlemanPaymentRelay relay, Action<MiddlemanPaymentRelay, Task<T>> next) =>
        task.ContinueWith(
            static (t, state) => { var (r, n) = ((MiddlemanPaymentRelay, Action<MiddlemanPaymentRelay, Task<T>>))state!; n(r, t); },
            (relay, next),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private static void Then(Task task, MiddlemanPaymentRelay relay, Action<MiddlemanPaymentRelay, Task> next) =>
        task.ContinueWith(
            static (t, state) => { var (r, n) = ((MiddlemanPaymentRelay, Action<MiddlemanPaymentRelay, Task>))state!; n(r, t); },
            (relay, next),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    private void PayDownstream()
    {
        Task<PaymentResult> payment;
        try
        {
            payment = _node.PayAsync(_downstreamRequest);
        }
        catch (Exception e)
        {
            payment = Task.FromException<PaymentResult>(e);
        }

        Then(payment, this, static (relay, t) => relay.OnDownstreamResult(t));
    }

    private void OnDownstreamResult(Task<PaymentResult> payment)
    {
        var result = payment.IsCompletedSuccessfully
            ? payment.Result
            : PaymentResult.Failure(
                PaymentHash, Downstream.AmountMsat, PaymentFailureReason.InvalidInvoice,
                payment.Exception?.InnerException?.Message ?? "the payment was cancelled");

        if (!result.Succeeded)
        {
            CancelUpstream($"downstream payment failed: {result.FailureReason}: {result.FailureMessage}", result);
            return;
        }

        var preimage = result.Preimage.Value;
        if (preimage.Sha256() != PaymentHash)
        {
            Finish(RelayState.Failed, "downstream payment returned a preimage that does not match the payment hash", result);
            return;
        }

        _downstreamPayment = result;
        Then(SafeCall(() => _node.SettleInvoiceAsync(preimage)), this, static (relay, settle) =>
        {
            if (settle.IsCompletedSuccessfully)
            {
                relay.Finish(RelayState.Settled, $"settled upstream; earned {relay.FeeMsat} msat", relay._downstreamPayment);
                return;
            }

            var note = relay._upstreamCancelledWhilePaying ? " (the upstream HTLC was cancelled while we paid)" : string.Empty;
            var error = settle.Exception?.InnerException?.Message ?? "cancelled";
            relay.Finish(RelayState.Failed, $"paid downstream but could not settle upstream: {error}{note}", relay._downstreamPayment);
        });
    }

    private void CancelUpstream(string reason, PaymentResult? downstreamPayment)
    {
        // A failure here means the invoice was already cancelled (expired): refunded either way.
        _downstreamPayment = downstreamPayment;
        _refundReason ??= reason;
        Then(SafeCall(() => _node.CancelInvoiceAsync(PaymentHash)), this, static (relay, _) =>
            relay.Finish(RelayState.Refunded, relay._refundReason!, relay._downstreamPayment));
    }

    private static Task SafeCall(Func<Task> call)
    {
        try
        {
            return call();
        }
        catch (Exception e)
        {
            return Task.FromException(e);
        }
    }

    private void Finish(RelayState state, string reason, PaymentResult? downstreamPayment)
    {
        RelayOutcome? outcome;
        lock (_gate)
        {
            outcome = FinishLocked(state, reason, downstreamPayment);
        }

        if (outcome is not null)
        {
            Complete(outcome);
        }
    }

    /// <summary>Sets the final state once; the caller completes the task outside the lock.</summary>
    private RelayOutcome? FinishLocked(RelayState state, string reason, PaymentResult? downstreamPayment)
    {
        if (_finished)
        {
            return null;
        }

        _finished = true;
        _state = state;
        return new RelayOutcome(state, reason, downstreamPayment);
    }

    private void Complete(RelayOutcome outcome)
    {
        Dispose();
        _completion.TrySetResult(outcome);
    }
}
