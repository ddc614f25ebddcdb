using SweetGossip.Lightning.Port;

namespace SweetGossip.LightningHub;

/// <summary>
/// One node's latest invoice updates, at most <c>capacity</c> of them (a ring): what a client polling from a sequence
/// cursor reads. Sequences grow by one per update, so the update after cursor N sits at N − <see cref="Before"/>.
/// A cursor older than the window is told so (<see cref="TryRead"/> is false) and re-synced from current states.
/// </summary>
internal sealed class HubUpdateLog
{
    private readonly object _sync = new();
    private readonly int _capacity;
    private InvoiceUpdate[] _ring;
    private int _head;
    private int _count;
    private ulong _before;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="start">The node's sequence when the log begins (0 for a new node; its sequence at a snapshot after a restart).</param>
    public HubUpdateLog(int capacity, ulong start)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        (_capacity, _before) = (capacity, start);
        _ring = new InvoiceUpdate[Math.Min(capacity, 64)];
    }

    /// <summary>The sequence just before the oldest update kept: a cursor below it has missed updates the log no longer has.</summary>
    public ulong Before
    {
        get
        {
            lock (_sync) return _before;
        }
    }

    public void Append(InvoiceUpdate update)
    {
        TaskCompletionSource changed;
        lock (_sync)
        {
            if (update.Sequence != _before + (ulong)_count + 1)
                throw new InvalidOperationException($"update {update.Sequence} does not follow {_before + (ulong)_count}");
            if (_count == _capacity)
            {
                _before = _ring[_head].Sequence;
                _ring[_head] = update;
                _head = (_head + 1) % _ring.Length;
            }
            else
            {
                if (_count == _ring.Length) Grow();
                _ring[(_head + _count) % _ring.Length] = update;
                _count++;
            }
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }

    /// <summary>
    /// The updates after <paramref name="after"/>, at most <paramref name="limit"/>, or false if the log no longer reaches
    /// back to it. <paramref name="changed"/> completes at the next append (to wait when the page is empty).
    /// </summary>
    public bool TryRead(ulong after, int limit, out List<InvoiceUpdate> page, out Task changed)
    {
        lock (_sync)
        {
            changed = _changed.Task;
            page = [];
            if (after < _before) return false;
            var start = after - _before;
            for (var i = start; i < (ulong)_count && page.Count < limit; i++)
                page.Add(_ring[(_head + (int)i) % _ring.Length]);
            return true;
        }
    }

    private void Grow()
    {
        var bigger = new InvoiceUpdate[Math.Min((long)_ring.Length * 2, _capacity)];
        for (var i = 0; i < _count; i++) bigger[i] = _ring[(_head + i) % _ring.Length];
        (_ring, _head) = (bigger, 0);
    }
}
