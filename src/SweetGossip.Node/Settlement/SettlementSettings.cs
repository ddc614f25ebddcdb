using Akka.Configuration;
using SweetGossip.Node.Hosting;

namespace SweetGossip.Node.Settlement;

/// <summary>
/// How the settlement actor runs (<c>sweetgossip.settlement</c>; defaults in reference.conf only).
/// </summary>
/// <param name="SweepInterval">How often every active entry is checked against the clock (expiries, retries).</param>
/// <param name="LightningCallTimeout">How long one Lightning call may take before it counts as failed (and is retried or reconciled).</param>
/// <param name="PaymentWait">How long one wait for a payment's end lasts before the payment is tracked afresh.</param>
/// <param name="Retention">How long a finished entry is kept (it must outlive every invoice this node issues or pays: a hash is paid once).</param>
/// <param name="SnapshotEvery">Events between snapshots: recovery reads one snapshot and at most this many events.</param>
/// <param name="MaxPendingCommands">Commands waiting on Lightning (decodes, payments' waiters, watchers) at once; past it, Busy.</param>
/// <param name="Relay">The payment chain's safety rules.</param>
public sealed record SettlementSettings(
    TimeSpan SweepInterval, TimeSpan LightningCallTimeout, TimeSpan PaymentWait, TimeSpan Retention, int SnapshotEvery,
    int MaxPendingCommands, RelayPolicy Relay)
{
    public const string Path = "sweetgossip.settlement";

    /// <summary>reference.conf's settings.</summary>
    public static SettlementSettings Default { get; } = From(NodeConfig.Reference);

    /// <exception cref="NodeConfigException">A value is missing or out of range (the key is named).</exception>
    public static SettlementSettings From(Config config)
    {
        var s = new ConfigReader(config, Path, Environment.CurrentDirectory);
        var settings = new SettlementSettings(
            s.Duration("sweep-interval"),
            s.Duration("lightning-call-timeout"),
            s.Duration("payment-wait"),
            s.Duration("retention"),
            s.Int("snapshot-every", 10, 10_000_000),
            s.Int("max-pending-commands", 1, 10_000_000),
            new RelayPolicy(
                s.Duration("relay.block-interval"),
                s.Int("relay.min-cltv-delta-margin", 0, 10_000),
                s.Int("relay.cltv-delta-increment", 0, 10_000),
                s.Duration("relay.min-upstream-invoice-lifetime"),
                s.Int("relay.max-cltv-expiry-delta", 1, 100_000)));
        if (settings.Relay.CltvDeltaIncrement < settings.Relay.MinCltvDeltaMargin)
            throw s.Error("relay.cltv-delta-increment", $"must be at least relay.min-cltv-delta-margin ({settings.Relay.MinCltvDeltaMargin}), or this node's own relays refuse themselves");
        return settings;
    }
}
