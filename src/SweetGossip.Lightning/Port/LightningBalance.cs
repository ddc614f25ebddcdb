namespace SweetGossip.Lightning.Port;

/// <summary>
/// A node's funds (LND ChannelBalance, simplified to one number per kind).
/// </summary>
/// <param name="AvailableMsat">Spendable now.</param>
/// <param name="OutgoingLockedMsat">Locked in our outgoing HTLCs (amount + fee) until the payee settles or they fail back.</param>
/// <param name="IncomingPendingMsat">Locked in incoming HTLCs for our Accepted invoices: ours once we settle.</param>
public sealed record LightningBalance(ulong AvailableMsat, ulong OutgoingLockedMsat, ulong IncomingPendingMsat);
