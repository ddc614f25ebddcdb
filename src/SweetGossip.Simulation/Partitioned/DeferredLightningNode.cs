using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Simulation.Partitioned;

/// <summary>
/// A node's Lightning wallet in a partitioned run: every call is queued at the <see cref="LightningDesk"/>
/// and answered when the window ends (the task completes then, on the coordinating thread, while no
/// partition runs; the node's actors get the answer as a message). Invoice subscriptions are made and
/// dropped the same way, and their updates arrive as messages too.
/// </summary>
internal sealed class DeferredLightningNode(ILightningNode inner, int node, LightningDesk desk) : ILightningNode
{
    public LightningNodeId NodeId => inner.NodeId;

    public Task<HoldInvoice> AddHoldInvoiceAsync(Hash32 paymentHash, ulong amountMsat, string memo, TimeSpan expiry, int cltvExpiryDelta, CancellationToken ct = default) =>
        Call(() => inner.AddHoldInvoiceAsync(paymentHash, amountMsat, memo, expiry, cltvExpiryDelta));

    public Task<InvoiceStatus> LookupInvoiceAsync(Hash32 paymentHash, CancellationToken ct = default) => Call(() => inner.LookupInvoiceAsync(paymentHash));

    public IDisposable SubscribeInvoices(Action<InvoiceUpdate> onUpdate) => Subscribe(() => inner.SubscribeInvoices(onUpdate));

    public IDisposable SubscribeSingleInvoice(Hash32 paymentHash, Action<InvoiceUpdate> onUpdate) => Subscribe(() => inner.SubscribeSingleInvoice(paymentHash, onUpdate));

    public Task SettleInvoiceAsync(Hash32 preimage, CancellationToken ct = default) => Call(async () =>
    {
        await inner.SettleInvoiceAsync(preimage).ConfigureAwait(false);
        return true;
    });

    public Task CancelInvoiceAsync(Hash32 paymentHash, CancellationToken ct = default) => Call(async () =>
    {
        await inner.CancelInvoiceAsync(paymentHash).ConfigureAwait(false);
        return true;
    });

    public Task<PaymentResult> PayAsync(string paymentRequest, CancellationToken ct = default) => Call(() => inner.PayAsync(paymentRequest));

    public Task<PaymentResult?> TrackPaymentAsync(Hash32 paymentHash, CancellationToken ct = default) => Call(() => inner.TrackPaymentAsync(paymentHash));

    public Task<DecodedPaymentRequest> DecodePaymentRequestAsync(string paymentRequest, CancellationToken ct = default) => Call(() => inner.DecodePaymentRequestAsync(paymentRequest));

    public Task<LightningBalance> GetBalanceAsync(CancellationToken ct = default) => Call(() => inner.GetBalanceAsync());

    private Task<T> Call<T>(Func<Task<T>> call)
    {
        var answer = new TaskCompletionSource<T>();
        desk.Queue(node, () =>
        {
            Task<T> task;
            try
            {
                task = call();
            }
            catch (Exception e)
            {
                answer.SetException(e);
                return;
            }
            // A hold payment finishes in a later window's calls (when the payee settles): completed there, inline.
            task.ContinueWith(static (done, state) =>
            {
                var to = (TaskCompletionSource<T>)state!;
                if (done.IsFaulted) to.SetException(done.Exception!.InnerExceptions);
                else if (done.IsCanceled) to.SetCanceled();
                else to.SetResult(done.Result);
            }, answer, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        });
        return answer.Task;
    }

    private Subscription Subscribe(Func<IDisposable> subscribe)
    {
        var subscription = new Subscription(node, desk);
        desk.Queue(node, () => subscription.Inner = subscribe());
        return subscription;
    }

    private sealed class Subscription(int node, LightningDesk desk) : IDisposable
    {
        public IDisposable? Inner { get; set; }

        public void Dispose() => desk.Queue(node, () => Inner?.Dispose());
    }
}
