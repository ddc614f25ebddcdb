namespace SweetGossip.Node.Settlement;

/// <summary>
/// A middleman's safety settings for relaying reply payments (<c>sweetgossip.settlement.relay</c>), the same
/// for every relay of a node.
/// </summary>
/// <param name="BlockInterval">Time per block, to compare CLTV deltas with clock time. Must match the Lightning network.</param>
/// <param name="MinCltvDeltaMargin">
/// Blocks by which the upstream HTLC must outlast the downstream one: after the downstream payee settles at
/// the last moment there is still time to settle upstream. Also the deadline rule's margin: downstream is paid
/// only while the upstream HTLC has at least <c>BlockInterval × (downstream delta + margin)</c> left.
/// </param>
/// <param name="CltvDeltaIncrement">Used when the terms name no delta: upstream delta = downstream delta + this.</param>
/// <param name="MinUpstreamInvoiceLifetime">Refuse to relay when the upstream invoice could not stay payable at least this long.</param>
/// <param name="MaxCltvExpiryDelta">Refuse to lock funds for more blocks than this (LND's default max HTLC timelock is 2016).</param>
public sealed record RelayPolicy(
    TimeSpan BlockInterval, int MinCltvDeltaMargin, int CltvDeltaIncrement, TimeSpan MinUpstreamInvoiceLifetime, int MaxCltvExpiryDelta)
{
    /// <summary>How long before the upstream HTLC times out a downstream payment of <paramref name="downstreamCltvDelta"/> must start, at the latest.</summary>
    public TimeSpan PayingWindow(int downstreamCltvDelta) =>
        BlockInterval * ((long)Math.Max(0, downstreamCltvDelta) + MinCltvDeltaMargin);

    /// <summary>The deadline rule: may downstream be paid now, given when the upstream HTLC times out?</summary>
    public bool MayPayDownstream(DateTimeOffset now, DateTimeOffset? upstreamHtlcExpiresAt, int downstreamCltvDelta) =>
        upstreamHtlcExpiresAt is { } deadline && deadline - now >= PayingWindow(downstreamCltvDelta);
}

/// <summary>What one middleman asks for relaying one reply.</summary>
/// <param name="FeeMsat">Added to the downstream amount: the upstream invoice asks for downstream + fee.</param>
/// <param name="InvoiceExpiry">Requested lifetime of the upstream invoice; shortened so it never outlives the downstream one.</param>
/// <param name="CltvExpiryDelta">CLTV delta of the upstream invoice; null: downstream's + the policy's increment.</param>
/// <param name="Memo">Memo of the upstream invoice.</param>
public sealed record RelayTerms(ulong FeeMsat, TimeSpan InvoiceExpiry, int? CltvExpiryDelta = null, string Memo = "");
