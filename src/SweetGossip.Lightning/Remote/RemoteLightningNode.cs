using System.Net;
using System.Net.Http.Json;
using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Remote;

/// <summary>
/// An <see cref="ILightningNode"/> that lives in a Lightning hub process (<c>sgossip ln hub</c>): one shared
/// <see cref="EmbeddedLightningNetwork"/> served over loopback HTTP/JSON, so that nodes in separate
/// processes pay one another with the embedded network's hold-invoice semantics.
///
/// <para><b>Calls.</b> Each port method is one HTTP call; a refusal comes back as the same
/// <see cref="LightningException"/> code. <see cref="PayAsync"/> and <see cref="TrackPaymentAsync"/> long-poll
/// until the payment's final state, and ride out a hub that is briefly unreachable (the payment lives in the
/// hub, not in this process). Payment requests are decoded here when they are signed BOLT 11 (the hub's are),
/// without a round trip: the settlement actor decodes synchronously.</para>
///
/// <para><b>Invoice updates.</b> One background long-poll per node reads the hub's log of this node's invoice
/// updates from a sequence cursor, so nothing is missed between polls or across a dropped connection; it
/// hands each update to the subscribers registered at the time, in order, on its own task. The hub keeps a
/// bounded log: a cursor that fell behind it gets the current state of every invoice that changed since
/// (as an LND subscriber re-syncs by lookups), delivered the same way, in sequence order.</para>
///
/// <para><b>Authentication.</b> Every call carries the hub's bearer token (<see cref="HubToken"/>).</para>
/// </summary>
public sealed class RemoteLightningNode : ILightningNode, IDisposable
{
    /// <summary>How long one long-poll waits at the hub before answering "nothing yet", by default.</summary>
    public static readonly TimeSpan DefaultPollWait = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan RetryMin = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RetryMax = TimeSpan.FromSeconds(5);

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly string _path;
    private readonly object _sync = new();
    private readonly CancellationTokenSource _stop = new();
    private Subscriber[] _subscribers = [];
    private ulong _cursor;
    private Task? _poller;

    private RemoteLightningNode(HttpClient http, bool ownsHttp, string name, LightningNodeId nodeId, ulong sequence)
    {
        (_http, _ownsHttp, Name, NodeId, _cursor) = (http, ownsHttp, name, nodeId, sequence);
        _path = "nodes/" + Uri.EscapeDataString(name);
    }

    /// <summary>The node's name at the hub (a SweetGossip node uses its identity key).</summary>
    public string Name { get; }

    public LightningNodeId NodeId { get; }

    /// <summary>The hub's base URL.</summary>
    public Uri Hub => _http.BaseAddress!;

    /// <summary>Called with any exception a subscriber callback throws, or a poll failure (the poll retries).</summary>
    public Action<Exception>? OnError { get; init; }

    /// <summary>How long one long-poll (invoice updates, a payment in flight) waits at the hub before asking again.</summary>
    public TimeSpan PollWait { get; init; } = DefaultPollWait;

    /// <summary>
    /// Gets the hub's Lightning node called <paramref name="name"/>, creating it with <paramref name="openingBalanceMsat"/>
    /// if the hub does not know the name yet (a restarted node gets its node back, with whatever it holds).
    /// </summary>
    /// <param name="token">The hub's bearer token (the content of its <see cref="HubToken.FileName"/>).</param>
    /// <exception cref="HttpRequestException">The hub cannot be reached or refused (401: a wrong token).</exception>
    public static async Task<RemoteLightningNode> ConnectAsync(Uri hub, string token, string name, ulong openingBalanceMsat, Action<Exception>? onError = null, CancellationToken ct = default, TimeSpan? pollWait = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        var http = new HttpClient { BaseAddress = hub.AbsoluteUri.EndsWith('/') ? hub : new Uri(hub.AbsoluteUri + "/"), Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        try
        {
            return await ConnectAsync(http, ownsHttp: true, name, openingBalanceMsat, onError, ct, pollWait).ConfigureAwait(false);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>As <see cref="ConnectAsync(Uri, string, string, ulong, Action{Exception}?, CancellationToken, TimeSpan?)"/> over a given client (its BaseAddress is the hub, ending in '/'; it carries the token).</summary>
    public static async Task<RemoteLightningNode> ConnectAsync(HttpClient http, bool ownsHttp, string name, ulong openingBalanceMsat, Action<Exception>? onError = null, CancellationToken ct = default, TimeSpan? pollWait = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var view = await Send<HubNodeView>(http, HttpMethod.Post, "nodes", new HubRegisterRequest(name, openingBalanceMsat), timeout.Token).ConfigureAwait(false);
        return new RemoteLightningNode(http, ownsHttp, view.Name, view.NodeId, view.Sequence) { OnError = onError, PollWait = pollWait ?? DefaultPollWait };
    }

    public Task<HoldInvoice> AddHoldInvoiceAsync(Hash32 paymentHash, ulong amountMsat, string memo, TimeSpan expiry, int cltvExpiryDelta, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(memo);
        return Send<HoldInvoice>(HttpMethod.Post, $"{_path}/invoices", new HubAddInvoiceRequest(paymentHash, amountMsat, memo, expiry.TotalSeconds, cltvExpiryDelta), ct);
    }

    public Task<InvoiceStatus> LookupInvoiceAsync(Hash32 paymentHash, CancellationToken ct = default) =>
        Send<InvoiceStatus>(HttpMethod.Get, $"{_path}/invoices/{paymentHash.ToHex()}", null, ct);

    /// <remarks>
    /// Rides out a hub that is briefly unreachable: a payee holding the preimage must get it in before the HTLC times
    /// out. After a lost answer, "already settled" is this settle having gone through.
    /// </remarks>
    public Task SettleInvoiceAsync(Hash32 preimage, CancellationToken ct = default) =>
        PersistentlyAsync(t => Send<HubError>(HttpMethod.Post, $"{_path}/invoices/settle", new HubSettleRequest(preimage), t, allowEmpty: true),
            e => e.Code == LightningErrorCode.InvoiceAlreadySettled, ct);

    /// <remarks>Rides out a hub that is briefly unreachable, as settling does; cancelling twice is harmless.</remarks>
    public Task CancelInvoiceAsync(Hash32 paymentHash, CancellationToken ct = default) =>
        PersistentlyAsync(t => Send<HubError>(HttpMethod.Post, $"{_path}/invoices/{paymentHash.ToHex()}/cancel", null, t, allowEmpty: true), null, ct);

    public Task<LightningBalance> GetBalanceAsync(CancellationToken ct = default) =>
        Send<LightningBalance>(HttpMethod.Get, $"{_path}/balance", null, ct);

    public async Task<DecodedPaymentRequest> DecodePaymentRequestAsync(string paymentRequest, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(paymentRequest);
        if (EmbeddedPaymentRequests.TryDecode(paymentRequest, out var decoded, out _))
            return decoded!;
        // Not a signed regtest invoice: the hub's answer (its own unsigned invoices, or its refusal).
        return await Send<DecodedPaymentRequest>(HttpMethod.Post, "decode", new HubDecodeRequest(paymentRequest), ct).ConfigureAwait(false);
    }

    public async Task<PaymentResult> PayAsync(string paymentRequest, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(paymentRequest);
        ct.ThrowIfCancellationRequested();
        Hash32? hash = EmbeddedPaymentRequests.TryDecode(paymentRequest, out var decoded, out _) ? decoded!.PaymentHash : null;
        var delay = RetryMin;
        while (true)
        {
            try
            {
                using var response = await _http.PostAsJsonAsync($"{_path}/payments", new HubPayRequest(paymentRequest, PollWait.TotalSeconds), HubJson.Options, _stop.Token).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var pending = await Read<HubPaymentPending>(response, _stop.Token).ConfigureAwait(false);
                    return (await TrackAsync(pending.PaymentHash).ConfigureAwait(false))!;
                }
                return await Read<PaymentResult>(response, _stop.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (hash is { } known && IsTransient(e))
            {
                // The hub may or may not have started the payment: if it did, follow it; if not, try again.
                OnError?.Invoke(e);
                await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
                delay = Next(delay);
                try
                {
                    if (await TrackAsync(known).ConfigureAwait(false) is { } result)
                        return result;
                }
                catch (HttpRequestException again) when (IsTransient(again))
                {
                    OnError?.Invoke(again);
                }
            }
        }
    }

    public Task<PaymentResult?> TrackPaymentAsync(Hash32 paymentHash, CancellationToken ct = default) =>
        ct.IsCancellationRequested ? Task.FromCanceled<PaymentResult?>(ct) : TrackAsync(paymentHash).WaitAsync(ct);

    public IDisposable SubscribeInvoices(Action<InvoiceUpdate> onUpdate)
    {
        ArgumentNullException.ThrowIfNull(onUpdate);
        var subscriber = new Subscriber(this, null, onUpdate, live: true);
        Add(subscriber);
        return subscriber;
    }

    public IDisposable SubscribeSingleInvoice(Hash32 paymentHash, Action<InvoiceUpdate> onUpdate)
    {
        ArgumentNullException.ThrowIfNull(onUpdate);
        // Registered first and buffering, so no update is lost while the hub is asked for the current state;
        // then the current state, then the buffered updates newer than it, then live ones.
        var subscriber = new Subscriber(this, paymentHash, onUpdate, live: false);
        Add(subscriber);
        _ = StartSingleAsync(subscriber, paymentHash);
        return subscriber;
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        try
        {
            _poller?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // the poll loop ends by cancellation
        }
        if (_ownsHttp) _http.Dispose();
        _stop.Dispose();
    }

    public override string ToString() => $"hub node {Name} at {Hub}";

    // ------------------------------------------------------------------ payments

    /// <summary>Long-polls the hub until the payment is final; null if this node never made it.</summary>
    private async Task<PaymentResult?> TrackAsync(Hash32 paymentHash)
    {
        var delay = RetryMin;
        while (true)
        {
            try
            {
                using var response = await _http.GetAsync($"{_path}/payments/{paymentHash.ToHex()}?wait={PollWait.TotalSeconds}", _stop.Token).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    delay = RetryMin;
                    continue;
                }
                if (response.StatusCode == HttpStatusCode.NoContent)
                    return null;
                return await Read<PaymentResult>(response, _stop.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException e) when (IsTransient(e))
            {
                OnError?.Invoke(e);
                await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
                delay = Next(delay);
            }
        }
    }

    /// <summary>
    /// Repeats a call while the hub cannot be reached (or answers 5xx), backing off. A refusal that
    /// <paramref name="earlierWon"/> recognises, after a failed attempt whose request may have arrived, counts as done.
    /// </summary>
    private async Task PersistentlyAsync(Func<CancellationToken, Task> call, Func<LightningException, bool>? earlierWon, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        var delay = RetryMin;
        var failed = false;
        while (true)
        {
            try
            {
                await call(linked.Token).ConfigureAwait(false);
                return;
            }
            catch (LightningException e) when (failed && earlierWon?.Invoke(e) == true)
            {
                return;
            }
            catch (HttpRequestException e) when (IsTransient(e))
            {
                OnError?.Invoke(e);
                failed = true;
                await Task.Delay(delay, linked.Token).ConfigureAwait(false);
                delay = Next(delay);
            }
        }
    }

    private static bool IsTransient(HttpRequestException e) => e.StatusCode is null or >= HttpStatusCode.InternalServerError;

    private static TimeSpan Next(TimeSpan delay) => delay * 2 > RetryMax ? RetryMax : delay * 2;

    // ------------------------------------------------------------------ subscriptions

    private void Add(Subscriber subscriber)
    {
        lock (_sync)
        {
            _subscribers = [.. _subscribers, subscriber];
            _poller ??= Task.Run(PollAsync);
        }
    }

    private void Remove(Subscriber subscriber)
    {
        lock (_sync) _subscribers = _subscribers.Where(s => !ReferenceEquals(s, subscriber)).ToArray();
    }

    private async Task PollAsync()
    {
        var delay = RetryMin;
        while (!_stop.IsCancellationRequested)
        {
            HubUpdatesView view;
            try
            {
                view = await Send<HubUpdatesView>(_http, HttpMethod.Get, $"{_path}/invoices/updates?after={_cursor}&wait={PollWait.TotalSeconds}", null, _stop.Token).ConfigureAwait(false);
                delay = RetryMin;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or LightningException or System.Text.Json.JsonException or OperationCanceledException)
            {
                if (!await BackOffAsync(e, delay).ConfigureAwait(false)) return;
                delay = Next(delay);
                continue;
            }
            // A truncated answer (this cursor fell behind the hub's log) holds current states in sequence order:
            // delivered like updates, so each subscriber still sees every invoice's latest state, in order, once.
            foreach (var update in view.Updates)
            {
                if (update.Sequence <= _cursor) continue;
                _cursor = update.Sequence;
                Subscriber[] subscribers;
                lock (_sync) subscribers = _subscribers;
                foreach (var subscriber in subscribers) subscriber.Offer(update);
            }
            if (view.Next is { } next && next > _cursor) _cursor = next;
        }
    }

    /// <summary>Reports a failed poll and waits before the next; false once the adapter is stopping.</summary>
    private async Task<bool> BackOffAsync(Exception error, TimeSpan delay)
    {
        OnError?.Invoke(error);
        try
        {
            await Task.Delay(delay, _stop.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task StartSingleAsync(Subscriber subscriber, Hash32 paymentHash)
    {
        var delay = RetryMin;
        while (!subscriber.IsDisposed && !_stop.IsCancellationRequested)
        {
            try
            {
                using var response = await _http.GetAsync($"{_path}/invoices/{paymentHash.ToHex()}/last", _stop.Token).ConfigureAwait(false);
                var current = response.StatusCode == HttpStatusCode.NoContent ? null : await Read<InvoiceUpdate>(response, _stop.Token).ConfigureAwait(false);
                subscriber.GoLive(current);
                return;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or LightningException or System.Text.Json.JsonException)
            {
                if (!await BackOffAsync(e, delay).ConfigureAwait(false)) return;
                delay = Next(delay);
            }
        }
    }

    private void Invoke(Action<InvoiceUpdate> callback, InvoiceUpdate update)
    {
        try
        {
            callback(update);
        }
        catch (Exception e)
        {
            try
            {
                OnError?.Invoke(e);
            }
            catch
            {
                // a failing error handler must not stop delivery
            }
        }
    }

    private sealed class Subscriber(RemoteLightningNode owner, Hash32? paymentHash, Action<InvoiceUpdate> callback, bool live) : IDisposable
    {
        private readonly object _gate = new();
        private readonly List<InvoiceUpdate> _buffer = [];
        private bool _live = live;
        private ulong _after;
        private volatile bool _disposed;

        public bool IsDisposed => _disposed;

        /// <summary>From the poller, in sequence order.</summary>
        public void Offer(InvoiceUpdate update)
        {
            if (_disposed || (paymentHash is { } hash && update.PaymentHash != hash)) return;
            lock (_gate)
            {
                if (!_live)
                {
                    _buffer.Add(update);
                    return;
                }
                if (update.Sequence <= _after) return;
                _after = update.Sequence;
                owner.Invoke(callback, update);
            }
        }

        /// <summary>Delivers the current state (if the invoice exists), then what arrived meanwhile, then goes live.</summary>
        public void GoLive(InvoiceUpdate? current)
        {
            lock (_gate)
            {
                if (current is not null && !_disposed)
                {
                    _after = current.Sequence;
                    owner.Invoke(callback, current);
                }
                foreach (var update in _buffer.Where(u => u.Sequence > _after))
                {
                    if (_disposed) break;
                    _after = update.Sequence;
                    owner.Invoke(callback, update);
                }
                _buffer.Clear();
                _live = true;
            }
        }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            owner.Remove(this);
        }
    }

    // ------------------------------------------------------------------ HTTP

    private Task<T> Send<T>(HttpMethod method, string path, object? body, CancellationToken ct, bool allowEmpty = false) =>
        Send<T>(_http, method, path, body, ct, allowEmpty);

    private static async Task<T> Send<T>(HttpClient http, HttpMethod method, string path, object? body, CancellationToken ct, bool allowEmpty = false)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: HubJson.Options);
        using var response = await http.SendAsync(request, ct).ConfigureAwait(false);
        if (allowEmpty && response.StatusCode == HttpStatusCode.NoContent) return default!;
        return await Read<T>(response, ct).ConfigureAwait(false);
    }

    /// <summary>The body as <typeparamref name="T"/>; a refusal becomes the Lightning node's exception, anything else an HttpRequestException.</summary>
    private static async Task<T> Read<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
            return (await response.Content.ReadFromJsonAsync<T>(HubJson.Options, ct).ConfigureAwait(false))!;
        HubError? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync<HubError>(HubJson.Options, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
        {
            // not one of the hub's error bodies
        }
        if (error?.Code is { } code && Enum.TryParse<LightningErrorCode>(code, out var lightningCode))
            throw new LightningException(lightningCode, error.Error);
        throw new HttpRequestException(
            $"Lightning hub answered {(int)response.StatusCode} {response.ReasonPhrase} to {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}{(error is null ? "" : ": " + error.Error)}",
            null, response.StatusCode);
    }
}
