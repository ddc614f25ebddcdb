namespace SweetGossip.Node.Pow;

/// <summary>
/// How many proofs wait for or occupy the node's workers, bounded: a topic reserves a place before it sends a job
/// and the worker frees it when the job ends however it ends. Past the capacity the favour is declined, so no
/// number of topics can queue work without limit. Thread-safe (workers run on their own threads).
/// </summary>
public sealed class PowQueue(int capacity)
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public int Capacity => capacity;

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _count) <= capacity) return true;
        Interlocked.Decrement(ref _count);
        return false;
    }

    public void Leave() => Interlocked.Decrement(ref _count);
}

/// <summary>The node's proof-of-work workers and the queue that bounds them.</summary>
public sealed record PowPool(Akka.Actor.IActorRef Workers, PowQueue Queue);
