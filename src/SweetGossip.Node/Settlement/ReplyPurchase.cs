using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Frames;

namespace SweetGossip.Node.Settlement;

/// <summary>
/// Everything an originator needs to open a reply once it has paid: the topic's request, its reply key and
/// the Reply as it arrived. Journaled before paying, so a payment that completes after a crash still buys
/// a reply that can be opened.
/// </summary>
public sealed record ReplyPurchase(SignedRequestPayload Request, PrivateKey ReplyKey, Reply Reply);
