using System.Net;
using Akka.Configuration;
using SweetGossip.Lightning.Remote;
using SweetGossip.Node.Core;
using SweetGossip.Node.Policies;
using SweetGossip.Node.Transport.Tcp;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Topics;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Node.Hosting;

/// <summary>
/// Builds a node's settings from HOCON (<c>sweetgossip.node</c>, <c>sweetgossip.scoring</c>, <c>sweetgossip.control</c>,
/// <c>sweetgossip.data-directory</c>; defaults in reference.conf). Everything is checked here, so a
/// node that starts has a coherent configuration; the first problem found is a
/// <see cref="NodeConfigException"/> naming its key.
/// </summary>
public static class NodeSettingsLoader
{
    public const string NodePath = "sweetgossip.node";

    public const string ScoringPath = "sweetgossip.scoring";

    /// <param name="config">The operator's config over <see cref="NodeConfig.Reference"/>.</param>
    /// <param name="baseDirectory">Relative file names are relative to this (the config file's directory).</param>
    public static NodeHostSettings Load(Config config, string baseDirectory)
    {
        var node = new ConfigReader(config, NodePath, baseDirectory);
        var (listen, contact) = ReadAddresses(node);
        var identity = ReadKey(node, "identity-key-file");
        var certificateKey = node.String("certificate-key-file").Length == 0 ? identity : ReadKey(node, "certificate-key-file");
        var certificate = ReadCertificate(node, certificateKey);
        var trusted = ReadTrusted(node);
        var settings = ReadBehaviour(node, new ConfigReader(config, ScoringPath, baseDirectory)) with
        {
            Identity = identity,
            CertificateKey = certificateKey,
            Certificate = certificate,
            Trusted = trusted,
            ContactAddress = contact,
        };

        var control = new ConfigReader(config, "sweetgossip.control", baseDirectory);
        var controlListen = control.String("listen");
        if (!TcpTransport.TryParseListen(controlListen, out var controlEndPoint, out var error))
            throw control.Error("listen", error);
        if (!IPAddress.IsLoopback(controlEndPoint.Address))
            throw control.Error("listen", $"'{controlListen}': the control endpoint speaks plain HTTP to local commands (its token would cross the network in clear), so it binds a loopback address only (127.0.0.1 or [::1])");

        var data = new ConfigReader(config, "sweetgossip", baseDirectory).String("data-directory");
        return new NodeHostSettings(settings, ReadTransport(node, listen), ReadLightning(node), controlListen,
            Path.GetFullPath(Path.Combine(baseDirectory, data.Length == 0 ? "data" : data)));
    }

    /// <summary>
    /// Every node setting that is not a file or an address: what <see cref="NodeDefaults.Node"/> holds for
    /// reference.conf. The identity, certificate, trusted authorities and contact address are left null for the caller.
    /// </summary>
    internal static NodeSettings ReadBehaviour(ConfigReader node, ConfigReader scoring)
    {
        var settings = new NodeSettings
        {
            // Files and addresses: the caller's (Load reads them; NodeDefaults has none).
            Identity = null!,
            CertificateKey = null!,
            Certificate = null!,
            Trusted = null!,
            ContactAddress = null!,
            StaticPeers = ReadPeers(node),
            Fanout = node.Int("fanout", 1, 64),
            Dissemination = ReadDissemination(node),
            DeliverTimeout = node.Duration("announce.deliver-timeout"),
            AnnounceAskTimeout = AnnounceAskTimeout(node),
            AnnounceRankByDeliveries = node.Bool("announce.rank-by-deliveries"),
            MaxAnnouncers = node.Int("announce.max-announcers", 1, 64),
            GatherWindow = node.DurationOrZero("announce.gather-window"),
            AnnouncedCapacity = node.Int("announce.capacity", 1, 10_000_000),
            AnnounceMaxUnredeemedPricedFavours = node.Int("announce.max-unredeemed-priced-favours", 1, 64),
            AnnounceSpendMultiple = node.Positive("announce.spend-multiple"),
            MaxHops = node.Int("max-hops", 0, WireLimits.MaxHops),
            OriginCoverKeep = node.Probability("origin-cover-keep"),
            BaseDifficultyBits = node.Int("pow.base-difficulty", 0, 64),
            MaxExtraDifficultyBits = node.Int("pow.max-extra", 0, 64),
            UnthankedPerExtraBit = node.Int("pow.unthanked-per-extra-bit", 1, 1_000_000),
            MaxAcceptedDifficultyBits = node.Int("pow.max-accepted", 0, 64),
            PowWorkers = node.Int("pow.workers", 0, 1024) is var workers and > 0 ? workers : Environment.ProcessorCount,
            FavourPriceMsat = node.Msat("favour-price-msat") is var price and > 0 ? price : null,
            MaxFavourPriceMsat = node.Msat("max-favour-price-msat"),
            RelayFeeMsat = node.Msat("relay-fee-msat"),
            AutoPayMaxMsat = node.Msat("auto-pay-max-msat"),
            MaxPathFeeMsat = node.Msat("max-path-fee-msat"),
            MaxRelayFeeMsat = node.Msat("max-relay-fee-msat"),
            FavourValidity = node.Duration("favour-validity"),
            FavourBookCapacity = node.Int("favour-book.capacity", 1, 10_000_000),
            FavourBookPerPeerCapacity = node.Int("favour-book.per-peer-capacity", 1, 10_000_000),
            FavourRedeemMargin = node.Duration("favour-book.redeem-margin"),
            MaxRepliesPerTopic = node.Int("max-replies-per-topic", 1, 1_000),
            MaxTopics = node.Int("max-topics", 1, 100_000_000),
            LinkDrainTimeout = node.Duration("link-drain.timeout"),
            LinkDrainHoldFor = node.Duration("link-drain.hold-for"),
            LinkDrainHoldFramesPerPeer = node.Int("link-drain.hold-frames-per-peer", 1, 1_000_000),
            LinkDrainHoldFrames = node.Int("link-drain.hold-frames", 1, 100_000_000),
            ThankYouTimeout = node.Duration("thank-you-timeout"),
            AskTimeout = node.Duration("ask-timeout"),
            MaxAsksPerTopic = node.Int("max-asks-per-topic", 1, 1_024),
            PeerChoice = new Routing.PeerChoiceSettings(
                node.Int("peer-choice.outbound-quota", 0, 1_024), node.Int("peer-choice.deficit-after", 0, 1_000_000), node.Int("peer-choice.exploration", 0, 1_024),
                node.Int("peer-choice.extra-asks", 0, 1_024), node.Int("peer-choice.graft-every", 0, 1_000_000), node.Int("peer-choice.graft-count", 0, 1_024),
                GraftThreshold(node), GraftDecay(node)),
            SpendMultiple = node.Positive("spend-multiple"),
            PowQueueCapacity = node.Int("pow.queue-capacity", 1, 1_000_000),
            PowDeclineMargin = DeclineMargin(node),
            ReplyInvoiceExpiry = node.Duration("reply-invoice-expiry"),
            ValidateTimeout = node.Duration("validate-timeout"),
            ReplyCltvExpiryDelta = node.Int("reply-cltv-expiry-delta", 1, 2016),
            ReplyPolicy = ReadReplyPolicy(node),
            PeerFramesPerSecond = node.Positive("peer-rate.frames-per-second"),
            PeerBurst = node.Positive("peer-rate.burst"),
            Scoring = ReadScoring(scoring),
        };
        if (settings.AnnounceMaxUnredeemedPricedFavours > settings.FavourBookPerPeerCapacity)
            throw node.Error("announce.max-unredeemed-priced-favours", $"must not exceed favour-book.per-peer-capacity ({settings.FavourBookPerPeerCapacity}), got {settings.AnnounceMaxUnredeemedPricedFavours}");
        if (settings.FavourRedeemMargin < TimeSpan.Zero || 2 * settings.FavourRedeemMargin >= settings.FavourValidity)
            throw node.Error("favour-book.redeem-margin", $"must be at least 0 and under half of favour-validity ({settings.FavourValidity}): a priced favour needs the margin to be paid, then to be redeemed (got {settings.FavourRedeemMargin})");
        if (settings.FavourBookPerPeerCapacity > settings.FavourBookCapacity)
            throw node.Error("favour-book.per-peer-capacity", $"must not exceed favour-book.capacity ({settings.FavourBookCapacity}), got {settings.FavourBookPerPeerCapacity}");
        if (settings.MaxAsksPerTopic < settings.Fanout)
            throw node.Error("max-asks-per-topic", $"must be at least fanout ({settings.Fanout}), got {settings.MaxAsksPerTopic}");
        if (settings.PeerChoice.OutboundQuota + settings.PeerChoice.Exploration > settings.MaxAsksPerTopic)
            throw node.Error("peer-choice.outbound-quota", $"outbound-quota + exploration must be at most max-asks-per-topic ({settings.MaxAsksPerTopic}), got {settings.PeerChoice.OutboundQuota} + {settings.PeerChoice.Exploration}");
        if (settings.Fanout + settings.PeerChoice.ExtraAsks > settings.MaxAsksPerTopic)
            throw node.Error("peer-choice.extra-asks", $"fanout + extra-asks must be at most max-asks-per-topic ({settings.MaxAsksPerTopic}), got {settings.Fanout} + {settings.PeerChoice.ExtraAsks}");
        if (settings.PeerChoice.GraftEvery > 0 && settings.PeerChoice.DeficitAfter == 0)
            throw node.Error("peer-choice.graft-every", $"grafts peers out of deficit, so it needs peer-choice.deficit-after above 0 (got graft-every {settings.PeerChoice.GraftEvery} with deficit-after 0)");
        if (settings.LinkDrainHoldFramesPerPeer > settings.LinkDrainHoldFrames)
            throw node.Error("link-drain.hold-frames-per-peer", $"must not exceed link-drain.hold-frames ({settings.LinkDrainHoldFrames}), got {settings.LinkDrainHoldFramesPerPeer}");
        // Over TCP a redialled peer's new link comes up only once its old connection stopped, up to link-drain.timeout later.
        if (settings.LinkDrainHoldFor <= settings.LinkDrainTimeout)
            throw node.Error("link-drain.hold-for", $"must exceed link-drain.timeout ({settings.LinkDrainTimeout}), got {settings.LinkDrainHoldFor}");
        if (settings.BaseDifficultyBits + settings.MaxExtraDifficultyBits > 64)
            throw node.Error("pow.max-extra", $"base-difficulty + max-extra must be at most 64 (got {settings.BaseDifficultyBits} + {settings.MaxExtraDifficultyBits})");
        return settings;
    }

    private static double GraftThreshold(ConfigReader node)
    {
        var threshold = node.Number("peer-choice.graft-threshold");
        return threshold >= 0 ? threshold : throw node.Error("peer-choice.graft-threshold", $"must be 0 or more: a delivery score is never negative (got {threshold})");
    }

    private static TimeSpan AnnounceAskTimeout(ConfigReader node)
    {
        var open = node.Duration("announce.ask-timeout");
        var least = node.Duration("announce.deliver-timeout") + node.DurationOrZero("announce.gather-window");
        if (open < least) throw node.Error("announce.ask-timeout", $"must be at least announce.deliver-timeout + gather-window ({least}): a neighbour waits that long for the first announcer it grants (got {open})");
        // Conditions find their topic through an ask route that lives favour-validity: later ones would be judged invalid.
        var routes = node.Duration("favour-validity");
        return open <= routes ? open : throw node.Error("announce.ask-timeout", $"must be at most favour-validity ({routes}): later conditions find no route to their topic (got {open})");
    }

    private static TimeSpan DeclineMargin(ConfigReader node)
    {
        var margin = node.DurationOrZero("pow.decline-margin");
        var deliver = node.Duration("announce.deliver-timeout");
        return margin < deliver ? margin : throw node.Error("pow.decline-margin", $"must be under announce.deliver-timeout ({deliver}): past it every announced proof is given up at once (got {margin})");
    }

    private static double GraftDecay(ConfigReader node)
    {
        var decay = node.Number("peer-choice.graft-decay");
        return decay is > 0 and <= 1 ? decay : throw node.Error("peer-choice.graft-decay", $"must be above 0 and at most 1: what a delivery still counts for one topic later (got {decay})");
    }

    private static (string Listen, string Contact) ReadAddresses(ConfigReader node)
    {
        var listen = node.String("listen");
        if (!TcpTransport.TryParseListen(listen, out var endPoint, out var error))
            throw node.Error("listen", error);
        var contact = node.String("contact-address");
        if (contact.Length > 0 && !PeerAddress.TryParse(contact, out _, out error))
            throw node.Error("contact-address", error);
        if (contact.Length == 0 && (endPoint.Address.Equals(IPAddress.Any) || endPoint.Address.Equals(IPAddress.IPv6Any)))
            throw node.Error("contact-address", $"required when listen ({listen}) is every interface: give the host:port others reach this node at");
        return (listen, contact);
    }

    private static IReadOnlyList<string> ReadPeers(ConfigReader node)
    {
        var peers = node.Strings("peers");
        for (var i = 0; i < peers.Count; i++)
            if (!PeerAddress.TryParse(peers[i], out _, out var error))
                throw node.Error($"peers[{i}]", error);
        return peers;
    }

    private static PrivateKey ReadKey(ConfigReader node, string name)
    {
        var path = node.ExistingFile(name);
        try
        {
            return NodeFiles.ReadKey(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw node.Error(name, $"{path}: {e.Message}", e);
        }
    }

    private static SignedCertificate ReadCertificate(ConfigReader node, PrivateKey certificateKey)
    {
        var path = node.ExistingFile("certificate-file");
        SignedCertificate certificate;
        try
        {
            certificate = NodeFiles.ReadCertificate(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw node.Error("certificate-file", $"{path}: {e.Message}", e);
        }
        if (!certificate.Body.Subject.Equals(certificateKey.PublicKey))
            throw node.Error("certificate-file", $"{path} was issued to {certificate.Body.Subject.ToHex()}, not to this node's certificate key {certificateKey.PublicKey.ToHex()}");
        return certificate;
    }

    private static TrustedAuthorities ReadTrusted(ConfigReader node)
    {
        var trusted = new TrustedAuthorities();
        var authorities = node.Objects("trusted-authorities", item =>
        {
            var name = item.String("name");
            if (name.Length is 0 or > 64) throw item.Error("name", "must be 1..64 characters");
            var hex = item.String("public-key");
            PublicKey key;
            try
            {
                key = PublicKey.FromHex(hex);
            }
            catch (CryptoFormatException e)
            {
                throw item.Error("public-key", $"not a public key (64 hex digits): {e.Message}", e);
            }
            if (trusted.TryGetKey(name, out _))
                throw item.Error("name", $"'{name}' is listed twice");
            trusted.Trust(name, key);
            ReadRevocations(item, trusted, name, key);
            return name;
        });
        // A node that trusts no authority refuses every request it is asked to carry: surely a mistake.
        if (authorities.Count == 0)
            throw node.Error("trusted-authorities", "list at least one authority, e.g. [{ name = \"Sydney Taxi Council\", public-key = \"<64 hex>\" }]");
        return trusted;
    }

    /// <summary>
    /// An authority's revocations: its signed list (<c>revocation-file</c>, as <c>sgossip ca revoke</c> writes it,
    /// verified here against the authority's key) and serials this node revokes on its own word (<c>revoked-serials</c>).
    /// </summary>
    private static void ReadRevocations(ConfigReader item, TrustedAuthorities trusted, string name, PublicKey key)
    {
        if (item.OptionalFile("revocation-file") is { } path)
        {
            SignedRevocationList list;
            try
            {
                list = NodeFiles.ReadRevocationList(path);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                throw item.Error("revocation-file", $"{path}: {e.Message}", e);
            }
            if (list.Body.AuthorityName != name || !list.Body.AuthorityKey.Equals(key))
                throw item.Error("revocation-file", $"{path} is the list of '{list.Body.AuthorityName}' ({list.Body.AuthorityKey.ToHex()}), not of this authority");
            var verdict = trusted.Accept(list);
            if (verdict != RevocationListVerdict.Accepted)
                throw item.Error("revocation-file", $"{path}: {verdict.Describe()}");
        }
        var serials = item.Strings("revoked-serials");
        for (var i = 0; i < serials.Count; i++)
        {
            if (serials[i].Length != 32 || !Guid.TryParseExact(serials[i], "N", out var serial))
                throw item.Error($"revoked-serials[{i}]", $"'{serials[i]}' is not a certificate serial (32 hex digits, the serial shown in a certificate file's summary)");
            trusted.RevokeByNode(name, new CertificateSerial(serial));
        }
    }

    private static Dissemination ReadDissemination(ConfigReader node) => node.String("dissemination") switch
    {
        "fanout" => Dissemination.Fanout,
        "announce" => Dissemination.Announce,
        var other => throw node.Error("dissemination", $"'{other}' is not a dissemination mode (fanout or announce)"),
    };

    private static IReplyPolicy ReadReplyPolicy(ConfigReader node)
    {
        var kind = node.String("reply-policy.kind");
        switch (kind)
        {
            case "none":
                return NeverReply.Instance;
            case "taxi-driver":
                var area = node.String("reply-policy.area");
                if (area.Length is 0 or > TaxiTopic.MaxGeohashPrecision || !Geohash.IsValid(area))
                    throw node.Error("reply-policy.area", $"'{area}' is not a geohash of 1..{TaxiTopic.MaxGeohashPrecision} characters (the area this driver serves)");
                var message = node.String("reply-policy.message");
                if (message.Length is 0 or > WireLimits.MaxReplyMessageLength)
                    throw node.Error("reply-policy.message", $"must be 1..{WireLimits.MaxReplyMessageLength} characters");
                return new TaxiDriverPolicy(area, node.Msat("reply-policy.price-msat"), message);
            default:
                throw node.Error("reply-policy.kind", $"'{kind}' is not a reply policy (none or taxi-driver)");
        }
    }

    private static LightningSettings ReadLightning(ConfigReader node)
    {
        var kind = node.String("lightning.kind");
        var balance = node.Msat("lightning.starting-balance-msat");
        var hub = node.String("lightning.hub");
        var name = node.String("lightning.name");
        switch (kind)
        {
            case LightningSettings.Embedded:
                if (hub.Length > 0)
                    throw node.Error("lightning.hub", $"is set ('{hub}') but lightning.kind is '{LightningSettings.Embedded}': set kind = {LightningSettings.HubKind} to use the hub");
                return new LightningSettings(kind, balance);
            case LightningSettings.HubKind:
                if (hub.Length == 0)
                    throw node.Error("lightning.hub", $"required when lightning.kind = {LightningSettings.HubKind}: the hub's URL, e.g. \"http://127.0.0.1:9737\" (sgossip ln hub)");
                if (!Uri.TryCreate(hub, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Host.Length == 0
                    || url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0)
                    throw node.Error("lightning.hub", $"'{hub}' is not an http:// or https:// URL of a Lightning hub (like \"http://127.0.0.1:9737\")");
                if (name.Length > 128 || name.Any(char.IsControl))
                    throw node.Error("lightning.name", "must be at most 128 printable characters (empty: the node's identity key)");
                return new LightningSettings(kind, balance, url, name, ReadHubTokenFile(node));
            default:
                throw node.Error("lightning.kind", $"'{kind}' is not supported: '{LightningSettings.Embedded}' (in this process) or '{LightningSettings.HubKind}' (a shared sgossip ln hub)");
        }
    }

    /// <summary>The hub's token file (hub.token in the hub's --data): it must exist and hold a token now, not at the first payment.</summary>
    private static string ReadHubTokenFile(ConfigReader node)
    {
        const string key = "lightning.hub-token-file";
        if (node.String(key).Length == 0)
            throw node.Error(key, $"required when lightning.kind = {LightningSettings.HubKind}: the hub's token file ({HubToken.FileName} in the hub's --data directory)");
        var path = node.ExistingFile(key);
        try
        {
            HubToken.Read(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw node.Error(key, e.Message, e);
        }
        return path;
    }

    /// <summary>The score book's parameters, checked by <see cref="PeerScoreParameters.Validate"/> (the error names the key).</summary>
    internal static PeerScoreParameters ReadScoring(ConfigReader scoring)
    {
        var parameters = new PeerScoreParameters
        {
            FirstDeliveryWeight = scoring.Number("weights.first-delivery"),
            ThankedWeight = scoring.Number("weights.thanked"),
            MalformedWeight = scoring.Number("weights.malformed-frame"),
            InvalidWeight = scoring.Number("weights.invalid-frame"),
            WrongProofWeight = scoring.Number("weights.wrong-proof"),
            DuplicateWeight = scoring.Number("weights.duplicate"),
            FloodWeight = scoring.Number("weights.flood"),
            DeliveryDeficitWeight = scoring.Number("weights.delivery-deficit"),
            UnredeemedFavourWeight = scoring.Number("weights.unredeemed-favour"),
            UndeliveredFavourWeight = scoring.Number("weights.undelivered-favour"),
            PositiveCap = scoring.Number("positive-cap"),
            PositiveDecayPerMinute = scoring.Number("positive-decay-per-minute"),
            NegativeDecayPerMinute = scoring.Number("negative-decay-per-minute"),
            DecayToZero = scoring.Number("decay-to-zero"),
            DisconnectThreshold = scoring.Number("disconnect-threshold"),
            BanPeriod = scoring.Duration("ban-period"),
            PrefixWeight = scoring.Number("prefix-weight"),
            PrefixBanThreshold = scoring.Number("prefix-ban-threshold"),
            Capacity = scoring.Int("capacity", 1, 10_000_000),
            PrefixCapacity = scoring.Int("prefix-capacity", 1, 10_000_000),
        };
        return parameters.Validate() is { } problem ? throw scoring.Error(problem.Key, problem.Reason) : parameters;
    }

    internal static TcpTransportSettings ReadTransport(ConfigReader node, string listen)
    {
        // Caps per address became caps per prefix: an old key would otherwise be ignored without a word.
        foreach (var (old, now) in new[] { ("max-inbound-per-ip", "max-inbound-per-prefix"), ("max-handshakes-per-ip", "max-handshakes-per-prefix") })
            if (node.Has($"transport.{old}"))
                throw node.Error($"transport.{old}", $"no longer read: inbound caps are per address prefix; use transport.{now} (and transport.ipv4-prefix-length = 32 for a cap per IPv4 address)");
        var settings = new TcpTransportSettings
        {
            Listen = listen,
            HandshakeTimeout = node.Duration("transport.handshake-timeout"),
            ConnectTimeout = node.Duration("transport.connect-timeout"),
            KeepaliveInterval = node.Duration("transport.keepalive-interval"),
            IdleTimeout = node.Duration("transport.idle-timeout"),
            RecordDeadline = node.Duration("transport.record-deadline"),
            OutboxLimit = node.Int("transport.outbox-limit", 1, 1_000_000),
            OutboxMaxBytes = node.Int("transport.outbox-max-bytes", TcpTransportSettings.MaxWireRecordBytes, int.MaxValue),
            ReconnectMinBackoff = node.Duration("transport.reconnect-min-backoff"),
            ReconnectMaxBackoff = node.Duration("transport.reconnect-max-backoff"),
            Ipv4PrefixLength = node.Int("transport.ipv4-prefix-length", 1, 32),
            Ipv6PrefixLength = node.Int("transport.ipv6-prefix-length", 1, 128),
            MaxInboundPerPrefix = node.Int("transport.max-inbound-per-prefix", 1, 1_000_000),
            MaxHandshakesPerPrefix = node.Int("transport.max-handshakes-per-prefix", 1, 1_000_000),
            MaxInbound = node.Int("transport.max-inbound", 1, 1_000_000),
            MaxHandshakes = node.Int("transport.max-handshakes", 1, 1_000_000),
        };
        // The rules of TcpTransportSettings.Validated, checked here to name the keys.
        if (settings.IdleTimeout <= settings.KeepaliveInterval)
            throw node.Error("transport.idle-timeout", $"must be longer than transport.keepalive-interval ({settings.KeepaliveInterval}), or healthy idle links are closed");
        if (settings.ReconnectMaxBackoff < settings.ReconnectMinBackoff)
            throw node.Error("transport.reconnect-max-backoff", "must be at least transport.reconnect-min-backoff");
        AtMost(node, "max-handshakes-per-prefix", settings.MaxHandshakesPerPrefix, "max-inbound-per-prefix", settings.MaxInboundPerPrefix, "a handshake in progress is an inbound connection");
        AtMost(node, "max-handshakes-per-prefix", settings.MaxHandshakesPerPrefix, "max-handshakes", settings.MaxHandshakes, "the cap over all addresses");
        AtMost(node, "max-inbound-per-prefix", settings.MaxInboundPerPrefix, "max-inbound", settings.MaxInbound, "the cap over all addresses");
        AtMost(node, "max-handshakes", settings.MaxHandshakes, "max-inbound", settings.MaxInbound, "a handshake in progress is an inbound connection");
        return settings.Validated();
    }

    private static void AtMost(ConfigReader node, string key, int value, string capKey, int cap, string why)
    {
        if (value > cap)
            throw node.Error($"transport.{key}", $"must be at most transport.{capKey} ({cap}): {why} (got {value})");
    }
}
