using SweetGossip.Protocol.Primitives;

namespace SweetGossip.LightningHub;

/// <summary>What the hub's HTTP face asks its journal to do; each becomes one journaled event (or a refusal).</summary>
internal abstract record HubCommand;

internal sealed record OpenHubNode(string Name, ulong OpeningBalanceMsat) : HubCommand;

internal sealed record AddHubInvoice(string Name, Hash32 PaymentHash, ulong AmountMsat, string Memo, TimeSpan Expiry, int CltvExpiryDelta) : HubCommand;

internal sealed record PayFromHub(string Name, string PaymentRequest) : HubCommand;

internal sealed record SettleAtHub(string Name, Hash32 Preimage) : HubCommand;

internal sealed record CancelAtHub(string Name, Hash32 PaymentHash) : HubCommand;

/// <summary>The command's event is journaled and applied: here is what it made (node view, invoice, payment task, or null).</summary>
internal sealed record HubAnswer(object? Value);

/// <summary>The command was refused (a <c>LightningException</c>, or an unknown name); nothing changed.</summary>
internal sealed record HubRefusal(Exception Error);

/// <summary>How the journal came back: nodes, the snapshot it started from (0: none), events replayed after it.</summary>
public sealed record HubRecovery(int Nodes, long SnapshotSequenceNr, int EventsReplayed)
{
    public override string ToString() => $"nodes={Nodes} snapshot={SnapshotSequenceNr} replayed={EventsReplayed}";
}
