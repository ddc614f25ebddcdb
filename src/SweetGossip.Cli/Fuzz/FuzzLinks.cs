using System.Net;
using System.Net.Sockets;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Transport;

namespace SweetGossip.Cli.Fuzz;

/// <summary>
/// The fuzz side of a run: writes the plan's shots on links to the target, each link under a fresh identity and,
/// when the target is on loopback, from a fresh /24 of 127/8 (so caps and bans by address meet a new address, as
/// they would from a real attacker with many). A link the node drops is replaced; a shot whose link was gone
/// before the write is written again on the next one, so every planned frame is written. A poisoned link is
/// watched until the node drops it; a stalled one is parked (a few at a time) to see if the node lets go of it.
/// </summary>
public sealed class FuzzLinks : IAsyncDisposable
{
    /// <summary>Links kept with an incomplete record at once; few, so the target's fanout still reaches the honest sink.</summary>
    public const int MaxParked = 2;

    private const int History = 4;
    private const int MaxConsecutiveRefusals = 20;

    private readonly EndPoint _target;
    private readonly PublicKey? _expected;
    private readonly FuzzMaterial _material;
    private readonly TimeSpan _timeout;
    private readonly FuzzTally _tally;
    private readonly Queue<RawPeer> _parked = new();
    private bool _rotateSources;
    private long _nextLink;
    private RawPeer? _current;
    private List<byte[]> _written = [];
    private List<byte[]> _writtenBefore = [];
    private int _offences;
    private readonly List<FuzzShot> _offending = [];
    private bool _awaitDrops = true;
    private int _keptInARow;

    public FuzzLinks(EndPoint target, PublicKey? expected, FuzzMaterial material, TimeSpan timeout, FuzzTally tally)
    {
        (_target, _expected, _material, _timeout, _tally) = (target, expected, material, timeout, tally);
        _rotateSources = target is IPEndPoint { Address: var ip } && ip.AddressFamily == AddressFamily.InterNetwork && IPAddress.IsLoopback(ip);
    }

    /// <summary>Whether links come from rotating loopback addresses (false if the target is elsewhere, or binding them failed).</summary>
    public bool RotatingSources => _rotateSources;

    /// <exception cref="FuzzTargetGoneException">The target refused every connection for a long while.</exception>
    public async Task ExecuteAsync(FuzzShot shot, CancellationToken ct)
    {
        if (shot.Handshake is { } damage)
        {
            var (key, from) = NextIdentity();
            var outcome = await RawPeer.DamagedHandshakeAsync(_target, key, from, damage, _timeout, ct);
            _tally.Handshake(shot, outcome);
            return;
        }

        RawPeer link;
        var bytes = 0;
        for (var attempt = 0; ; attempt++)
        {
            link = await CurrentAsync(ct);
            try
            {
                await link.WriteAsync(cipher =>
                {
                    var built = Build(shot, cipher);
                    bytes = built.Length;
                    return built;
                }, ct);
                break;
            }
            catch (IOException)
            {
                // Gone before (or while) we wrote: the node dropped it. The next link gets the whole shot.
                await RetireAsync();
                _tally.WriteRetries++;
                if (attempt >= MaxConsecutiveRefusals) throw new FuzzTargetGoneException($"no link took a write in {attempt + 1} tries");
            }
        }
        _tally.Sent(shot, bytes);

        switch (shot.Effect)
        {
            case LinkEffect.Poisoned:
                // The node must drop this link now; give it the fuzzer's patience before calling it a bug.
                try
                {
                    await link.Closed.WaitAsync(_timeout, ct);
                    _tally.PoisonedDropped++;
                }
                catch (TimeoutException)
                {
                    _tally.KeptPoisoned(shot);
                }
                await RetireAsync();
                break;
            case LinkEffect.Stalled:
                _tally.Stalled++;
                _current = null;
                _parked.Enqueue(link);
                while (_parked.Count > MaxParked) await LetGoAsync(_parked.Dequeue());
                break;
            case LinkEffect.HangUp:
                await RetireAsync();
                break;
            default:
                await AwaitDropAfterOffencesAsync(link, shot, ct);
                break;
        }
    }

    /// <summary>
    /// Once a link has sent two frames any node must refuse, the node should drop it, and anything written after
    /// would never be read: wait for the drop before writing more (the fuzzer's pacing on the node's own verdicts).
    /// A node that keeps such links is counted; after a few in a row the fuzzer stops waiting for it.
    /// </summary>
    private async Task AwaitDropAfterOffencesAsync(RawPeer link, FuzzShot shot, CancellationToken ct)
    {
        if (shot.Offences == 0) return;
        _offences += shot.Offences;
        _offending.Add(shot);
        if (_offences < 2 || !_awaitDrops) return;
        try
        {
            await link.Closed.WaitAsync(_timeout, ct);
            _tally.DroppedAfterOffences++;
            _keptInARow = 0;
        }
        catch (TimeoutException)
        {
            _tally.KeptAfter(_offending);
            _offences = 0;
            _offending.Clear();
            if (++_keptInARow >= 3) _awaitDrops = false;
        }
    }

    /// <summary>Connects under a fresh identity and checks the target still completes a handshake; the probe of liveness.</summary>
    public async Task<bool> ProbeAsync(CancellationToken ct)
    {
        try
        {
            var (key, source) = NextIdentity();
            await using var probe = await RawPeer.ConnectAsync(_target, key, _expected, source, null, _timeout, ct);
            return true;
        }
        catch (LinkRefusedException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_parked.Count > 0) await LetGoAsync(_parked.Dequeue());
        if (_current is { } current)
        {
            if (current.IsClosed && await current.Closed != RawPeer.ClosedByUs) _tally.Disconnects++;
            await current.DisposeAsync();
        }
        _current = null;
    }

    private async Task<RawPeer> CurrentAsync(CancellationToken ct)
    {
        if (_current is { IsClosed: true }) await RetireAsync();
        if (_current is { } live) return live;
        for (var refused = 0; ; refused++)
        {
            var (key, source) = NextIdentity();
            try
            {
                _current = await RawPeer.ConnectAsync(_target, key, _expected, source, null, _timeout, ct);
                _tally.Links++;
                _offences = 0;
                _offending.Clear();
                (_writtenBefore, _written) = (_written.Count > 0 ? _written : _writtenBefore, []);
                return _current;
            }
            catch (LinkRefusedException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.AddressNotAvailable } && source is not null)
            {
                _rotateSources = false; // this system does not route all of 127/8 to loopback
            }
            catch (LinkRefusedException e)
            {
                _tally.ConnectRefused++;
                if (refused + 1 >= MaxConsecutiveRefusals)
                    throw new FuzzTargetGoneException($"{refused + 1} connections in a row refused or timed out (last: {e.Message})");
            }
        }
    }

    /// <summary>Lets go of the current link, counting it as dropped by the node if the node closed it.</summary>
    private async Task RetireAsync()
    {
        if (_current is not { } current) return;
        _current = null;
        if (current.IsClosed && await current.Closed != RawPeer.ClosedByUs) _tally.Disconnects++;
        await current.DisposeAsync();
    }

    private async Task LetGoAsync(RawPeer parked)
    {
        if (parked.IsClosed && await parked.Closed != RawPeer.ClosedByUs)
        {
            _tally.StallsDroppedByNode++;
            _tally.Disconnects++;
        }
        await parked.DisposeAsync();
    }

    /// <summary>The shot's bytes: records sealed in order (damaged where planned, replays copied), written in order or reversed.</summary>
    private byte[] Build(FuzzShot shot, SecureLink cipher)
    {
        var records = new List<byte[]>(shot.Records.Count);
        foreach (var record in shot.Records)
        {
            byte[] bytes;
            if (record.ReplayBack != 0)
            {
                var from = record.ReplayBack < 0 && _writtenBefore.Count > 0 ? _writtenBefore : _written;
                bytes = from[^Math.Min(Math.Abs(record.ReplayBack), from.Count)];
            }
            else
            {
                var sealedRecord = cipher.Seal(record.Plaintext);
                bytes = record.Damage?.Apply(sealedRecord) ?? sealedRecord;
            }
            records.Add(bytes);
            // Replays take intact records only: a damaged one replayed would do what its damage does, not what a replay does.
            if (record.Damage is not null || record.ReplayBack != 0) continue;
            _written.Add(bytes);
            if (_written.Count > History) _written.RemoveAt(0);
        }
        if (shot.WriteReversed) records.Reverse();
        return records.Count == 1 ? records[0] : [.. records.SelectMany(r => r)];
    }

    /// <summary>
    /// The next connection's identity (fresh each time) and source address: 127.a.b.1 with (a, b) from the
    /// connection's number, a new /24 for each of 65,024 connections in turn (never 127.0.0.x, the honest peers').
    /// </summary>
    private (PrivateKey Key, IPAddress? Source) NextIdentity()
    {
        var n = _nextLink++;
        return (_material.LinkKey(n), _rotateSources ? new IPAddress([127, (byte)(1 + n / 256 % 254), (byte)(n % 256), 1]) : null);
    }
}

/// <summary>The target stopped taking connections: the run ends early.</summary>
public sealed class FuzzTargetGoneException(string message) : Exception(message);
