using System.Globalization;
using System.Runtime.InteropServices;
using SweetGossip.Node.Settlement;

namespace SweetGossip.Daemon.Hosting;

/// <summary>
/// Fault injection for crash tests: with <c>SGOSSIP_CRASH_AFTER=&lt;event&gt;[:&lt;n&gt;]</c> (e.g. <c>PaymentStarted</c>,
/// <c>InvoiceAccepted:2</c>) the process kills itself with SIGKILL right after journaling the n-th settlement
/// event of that kind, before acting on it: a kill -9 at an exact step, with nothing flushed or cleaned up. Only
/// payments that begin in this run count (their first event here creates them), so a restarted node's catching up
/// on an earlier payment never fires it.
/// Unset (always, outside tests and <c>sgossip chaos</c>), there is no hook at all.
/// </summary>
public static class CrashPoint
{
    public const string Variable = "SGOSSIP_CRASH_AFTER";

    /// <exception cref="StartupException">The variable is set but not of the form event[:n].</exception>
    public static Action<SettlementEvent>? FromEnvironment(TextWriter log)
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value)) return null;
        var parts = value.Split(':');
        var kind = parts[0].Trim();
        var nth = 1;
        if (kind.Length == 0 || parts.Length > 2 || parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out nth) || nth < 1))
            throw new StartupException($"{Variable}: '{value}' is not <settlement event>[:<n>], e.g. PaymentStarted or InvoiceAccepted:2");
        var name = kind.EndsWith("Event", StringComparison.Ordinal) ? kind : kind + "Event";
        if (typeof(SettlementEvent).Assembly.GetType($"{typeof(SettlementEvent).Namespace}.{name}") is not { } type || !type.IsSubclassOf(typeof(SettlementEvent)))
            throw new StartupException($"{Variable}: '{kind}' is not a settlement event (e.g. SecretRegistered, InvoiceIssued, InvoiceAccepted, PaymentStarted, PaymentSucceeded, InvoiceSettled, ReplyDelivered)");
        var seen = 0;
        var born = new HashSet<SweetGossip.Protocol.Primitives.Hash32>();
        var known = new HashSet<SweetGossip.Protocol.Primitives.Hash32>();
        return e =>
        {
            // Only payments that begin in this run count: a restarted node first finishes what an earlier run left
            // (a settle it made just before its kill, say), and a crash there would hit the wrong round.
            lock (born)
            {
                if (known.Add(e.PaymentHash) && e is SecretRegisteredEvent or RelayRegisteredEvent or ReplyPurchasedEvent or PaymentStartedEvent or InvoiceIssuedEvent)
                    born.Add(e.PaymentHash);
                if (!born.Contains(e.PaymentHash)) return;
            }
            if (e.GetType() != type || Interlocked.Increment(ref seen) != nth) return;
            log.WriteLine($"crash point: journaled {kind} #{nth} for {e.PaymentHash}; killing this process (SIGKILL)");
            log.Flush();
            Kill(Environment.ProcessId, 9);
        };
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
