using SweetGossip.Lightning.Embedded;

namespace SweetGossip.Simulation.Partitioned;

/// <summary>
/// The one embedded Lightning network of a partitioned run, used by one thread at a time: nodes' calls are
/// queued in their partition during a window (see <see cref="DeferredLightningNode"/>) and made here between
/// windows in stamp order, each at its own virtual time, with the network's deadlines applied every 30 s of
/// virtual time in between (as the single-threaded run does). Answers and invoice updates reach the nodes'
/// actors as messages, processed from the next window on: a Lightning call takes up to one window.
/// </summary>
internal sealed class LightningDesk
{
    private static readonly TimeSpan ExpiryEvery = TimeSpan.FromSeconds(30);
    private readonly List<Stamped> _calls = [];
    private long _nextExpiryTicks = ExpiryEvery.Ticks;

    public LightningDesk(PartitionLayout layout, DateTimeOffset start)
    {
        Layout = layout;
        Clock = new SettableClock(start);
    }

    public PartitionLayout Layout { get; }

    /// <summary>The network's clock: the time of the call being made.</summary>
    public SettableClock Clock { get; }

    public EmbeddedLightningNetwork Network { get; set; } = null!;

    public void Queue(int node, Action call)
    {
        var partition = Layout.PartitionOfNode(node);
        partition.LightningCalls.Add(new Stamped(new Stamp(partition.NowTicks, node, Layout.NextSequence(node)), call));
    }

    /// <summary>Makes every queued call, in stamp order, and applies deadlines up to <paramref name="untilTicks"/>.</summary>
    public void Apply(long untilTicks)
    {
        foreach (var partition in Layout.Partitions)
        {
            _calls.AddRange(partition.LightningCalls);
            partition.LightningCalls.Clear();
        }
        _calls.Sort(static (a, b) => a.Stamp.CompareTo(b.Stamp));
        foreach (var call in _calls)
        {
            ExpireUpTo(call.Stamp.Ticks);
            Clock.SetTicks(call.Stamp.Ticks);
            call.Apply();
        }
        _calls.Clear();
        ExpireUpTo(untilTicks);
    }

    private void ExpireUpTo(long ticks)
    {
        while (_nextExpiryTicks <= ticks)
        {
            Clock.SetTicks(_nextExpiryTicks);
            Network.ExpireDue();
            _nextExpiryTicks += ExpiryEvery.Ticks;
        }
    }

    /// <summary>A clock the desk sets before each call.</summary>
    internal sealed class SettableClock(DateTimeOffset start) : TimeProvider
    {
        private long _ticks;

        public void SetTicks(long ticks) => _ticks = Math.Max(_ticks, ticks);

        public override DateTimeOffset GetUtcNow() => start + TimeSpan.FromTicks(_ticks);

        public override long GetTimestamp() => _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }
}
