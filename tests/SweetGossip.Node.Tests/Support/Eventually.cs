namespace SweetGossip.Node.Tests.Support;

/// <summary>
/// Waits, without sleeping, until something another actor or thread is doing has happened: re-checks
/// after yielding, and fails with <see cref="OperationCanceledException"/> past the deadline.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);

    public static Task True(Func<bool> condition, TimeSpan? deadline = null) =>
        Value(() => Task.FromResult(condition()), x => x, deadline);

    /// <summary>Re-reads <paramref name="read"/> until <paramref name="accept"/> holds; returns that value.</summary>
    public static async Task<T> Value<T>(Func<Task<T>> read, Func<T, bool> accept, TimeSpan? deadline = null)
    {
        using var timeout = new CancellationTokenSource(deadline ?? DefaultDeadline);
        while (true)
        {
            var value = await read();
            if (accept(value)) return value;
            timeout.Token.ThrowIfCancellationRequested();
            await Task.Yield();
        }
    }
}
