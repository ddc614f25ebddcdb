using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cli.Tests;

/// <summary>Invoice updates as a subscriber saw them, awaitable (each wait gives up after 30 s).</summary>
internal sealed class InvoiceUpdates
{
    private readonly List<InvoiceUpdate> _seen = [];
    private readonly List<(Func<InvoiceUpdate, bool> Match, TaskCompletionSource<InvoiceUpdate> Found)> _waiters = [];
    private readonly List<(Func<InvoiceUpdate, bool> Match, TaskCompletionSource<InvoiceUpdate> Found)> _anyWaiters = [];
    private int _taken;

    public void Add(InvoiceUpdate update)
    {
        lock (_seen)
        {
            _seen.Add(update);
            foreach (var waiter in _waiters.Where(w => w.Match(update)).ToList())
            {
                _waiters.Remove(waiter);
                _taken = _seen.Count;
                waiter.Found.TrySetResult(update);
            }
            foreach (var waiter in _anyWaiters.Where(w => w.Match(update)).ToList())
            {
                _anyWaiters.Remove(waiter);
                waiter.Found.TrySetResult(update);
            }
        }
    }

    /// <summary>The first update (seen or to come) after the last one returned that matches.</summary>
    public Task<InvoiceUpdate> Next(Func<InvoiceUpdate, bool> match)
    {
        var found = new TaskCompletionSource<InvoiceUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_seen)
        {
            var index = _seen.FindIndex(_taken, u => match(u));
            if (index >= 0)
            {
                _taken = index + 1;
                return Task.FromResult(_seen[index]);
            }
            _waiters.Add((match, found));
        }
        return found.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Any update (seen or to come) that matches, wherever it falls among the others; does not move <see cref="Next"/>'s place.</summary>
    public Task<InvoiceUpdate> Any(Func<InvoiceUpdate, bool> match)
    {
        var found = new TaskCompletionSource<InvoiceUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_seen)
        {
            if (_seen.FirstOrDefault(match) is { } seen) return Task.FromResult(seen);
            _anyWaiters.Add((match, found));
        }
        return found.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public List<InvoiceUpdate> All()
    {
        lock (_seen) return [.. _seen];
    }

    public List<InvoiceState> Of(Hash32 hash)
    {
        lock (_seen) return _seen.Where(u => u.PaymentHash == hash).Select(u => u.State).ToList();
    }
}
