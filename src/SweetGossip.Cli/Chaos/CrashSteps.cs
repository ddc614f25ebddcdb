namespace SweetGossip.Cli.Chaos;

/// <summary>
/// One journaled step of one role at which a node can be killed (right after the event is journaled, before it
/// is acted on), and whether the round's reply must still be delivered after the restart: it must whenever the
/// crash came after the chain's invoices were handed upstream; before that, the chain never formed and nothing
/// was paid.
/// </summary>
public sealed record CrashStep(string Role, string Event, bool ReplyDelivered)
{
    public static readonly IReadOnlyList<CrashStep> All =
    [
        // The rider journals the bought reply and the payment's start together, then pays.
        new("originator", "PaymentStarted", true),
        new("originator", "PaymentSucceeded", true),
        new("originator", "ReplyDelivered", true),
        // A middleman journals the relay and its upstream invoice together; killed there, it never passes the reply on.
        new("middleman", "InvoiceIssued", false),
        new("middleman", "InvoiceAccepted", true),
        new("middleman", "PaymentStarted", true),
        new("middleman", "PaymentSucceeded", true),
        new("middleman", "InvoiceSettled", true),
        // The driver journals its preimage before its invoice exists, and never sends a reply it has not invoiced.
        new("replier", "SecretRegistered", false),
        new("replier", "InvoiceIssued", false),
        new("replier", "InvoiceAccepted", true),
        new("replier", "InvoiceSettled", true),
    ];

    public static IReadOnlyList<CrashStep> Of(string role) => All.Where(s => s.Role == role).ToList();

    public override string ToString() => $"{Role} after {Event}";
}
