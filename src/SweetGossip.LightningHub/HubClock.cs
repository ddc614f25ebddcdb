namespace SweetGossip.LightningHub;

/// <summary>
/// The hub's Lightning time: it stands still between journaled events and moves only when the journal applies one
/// (to the time the event ran at, live or replayed). So a lookup between events never applies a deadline on its
/// own: every state change is a journaled event, and replaying them rebuilds the same ledger.
/// </summary>
internal sealed class HubClock : TimeProvider
{
    private long _ticks = DateTimeOffset.UnixEpoch.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    /// <summary>Moves to <paramref name="now"/>; never back (a wall clock stepped back leaves the ledger's time where it is).</summary>
    public void MoveTo(DateTimeOffset now)
    {
        if (now.UtcTicks > Interlocked.Read(ref _ticks)) Interlocked.Exchange(ref _ticks, now.UtcTicks);
    }
}
