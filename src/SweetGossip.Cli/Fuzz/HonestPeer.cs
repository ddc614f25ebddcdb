using System.Net;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;

namespace SweetGossip.Cli.Fuzz;

/// <summary>
/// An honest peer of the target, on a raw link under one identity for the whole run: it counts as linked once
/// the node has announced its Lightning node on the link (the node does so as it adds the peer), sends a
/// keepalive (an empty record) as often as a node does, so a quiet spell is not taken for a dead peer, and
/// reconnects, counting the disconnect, whenever the node drops it. Honest peers must never be dropped.
/// </summary>
public abstract class HonestPeer : IAsyncDisposable
{
    private readonly EndPoint _target;
    private readonly PublicKey? _expected;
    private readonly PrivateKey _key;
    private readonly TimeSpan _timeout;
    /// <summary>As often as a node sends keepalives by default (transport.keepalive-interval), well within its idle timeout.</summary>
    private static readonly TimeSpan KeepaliveInterval = TimeSpan.FromSeconds(15);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _disconnects = [];
    private volatile RawPeer? _peer;
    private Task _keeping = Task.CompletedTask;
    private Task _keepalives = Task.CompletedTask;
    private int _disposed;

    protected HonestPeer(string role, EndPoint target, PublicKey? expected, PrivateKey key, TimeSpan timeout)
    {
        (Role, _target, _expected, _key, _timeout) = (role, target, expected, key, timeout);
    }

    public string Role { get; }

    /// <summary>The target's identity, as its handshake proved it.</summary>
    public PublicKey? Target => _peer?.RemoteIdentity;

    /// <summary>Why the node dropped this peer, each time it did.</summary>
    public IReadOnlyList<string> Disconnects
    {
        get
        {
            lock (_disconnects) return [.. _disconnects];
        }
    }

    /// <summary>Connects and waits until the node has added this peer.</summary>
    /// <exception cref="LinkRefusedException">No link, or the node never announced itself on it.</exception>
    public async Task StartAsync(CancellationToken ct)
    {
        await LinkAsync(ct);
        _keeping = Task.Run(() => KeepLinkedAsync(_stop.Token), CancellationToken.None);
        _keepalives = Task.Run(() => SendKeepalivesAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Sends on the current link; a frame racing a drop is lost, as it would be for any peer.</summary>
    protected async Task SendAsync(Frame frame)
    {
        if (_peer is not { } peer) return;
        try
        {
            await peer.SendAsync(frame, _stop.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The keeper notices the drop and relinks.
        }
    }

    /// <summary>A frame from the node; runs on the link's reader, one at a time.</summary>
    protected abstract Task OnFrameAsync(Frame frame);

    /// <summary>The link came back after a drop: resend what the drop may have lost.</summary>
    protected virtual Task OnRelinkedAsync() => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync();
        await _keeping;
        await _keepalives;
        if (_peer is { } peer) await peer.DisposeAsync();
        _stop.Dispose();
    }

    private async Task LinkAsync(CancellationToken ct)
    {
        var linked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Honest peers come from the default source address (127.0.0.1 on loopback): never from the fuzz links' ones.
        var peer = await RawPeer.ConnectAsync(_target, _key, _expected, null, frame =>
        {
            if (frame is LightningNodeAnnouncement) linked.TrySetResult();
            return OnFrameAsync(frame);
        }, _timeout, ct);
        _peer = peer; // the node may ask this peer something the moment it has added it
        try
        {
            await linked.Task.WaitAsync(_timeout, ct);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            _peer = null;
            await peer.DisposeAsync();
            if (e is OperationCanceledException) throw;
            throw new LinkRefusedException($"the {Role}'s link is up but the target never announced itself on it within {_timeout.TotalSeconds:0} s");
        }
    }

    private async Task SendKeepalivesAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(KeepaliveInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                if (_peer is not { } peer) continue;
                try
                {
                    await peer.WriteAsync(link => link.Seal([]), ct);
                }
                catch (IOException)
                {
                    // Dropped: the keeper relinks.
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task KeepLinkedAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var current = _peer!;
                var why = await current.Closed.WaitAsync(ct);
                lock (_disconnects) _disconnects.Add(why);
                _peer = null;
                await current.DisposeAsync();
                for (var attempt = 0; _peer is null; attempt++)
                {
                    try
                    {
                        await LinkAsync(ct);
                    }
                    catch (LinkRefusedException)
                    {
                        // Refused (a ban?) or slow: try again, a little later each time.
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2_000, 100 << Math.Min(attempt, 5))), ct);
                    }
                }
                await OnRelinkedAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
