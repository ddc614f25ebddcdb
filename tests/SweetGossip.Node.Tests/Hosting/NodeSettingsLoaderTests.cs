using SweetGossip.Node.Settlement;
using Akka.Configuration;
using SweetGossip.Node.Hosting;
using SweetGossip.Protocol.Gossip;
using SweetGossip.Node.Policies;
using SweetGossip.Protocol.Certificates;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;
using SweetGossip.Protocol.Wire;

namespace SweetGossip.Node.Tests.Hosting;

public sealed class NodeSettingsLoaderTests : IDisposable
{
    private readonly NodeFilesFixture _files = new();

    public void Dispose() => _files.Dispose();

    private NodeHostSettings Load(string extra = "") =>
        NodeSettingsLoader.Load(ConfigurationFactory.ParseString(_files.MinimalConfig + "\n" + extra).WithFallback(NodeConfig.Reference), _files.Directory);

    [Fact]
    public void The_reference_defaults_and_an_operators_file_make_the_settings()
    {
        var loaded = Load("""
            sweetgossip {
              data-directory = "state"
              node {
                listen = "127.0.0.1:0"
                peers = ["127.0.0.1:9801", "node2.example:9735"]
                fanout = 3
                max-hops = 5
                pow { base-difficulty = 10, max-extra = 6, max-accepted = 20, workers = 1 }
                favour-price-msat = 0
                relay-fee-msat = 2500
                favour-validity = 90s
                reply-policy { kind = taxi-driver, area = "r3gx", price-msat = 25000000, message = "Prius, 6 min away" }
                lightning.starting-balance-msat = 1000000000
                transport { keepalive-interval = 5s, idle-timeout = 20s, record-deadline = 4s, outbox-max-bytes = 2000000, ipv4-prefix-length = 16, ipv6-prefix-length = 48, max-inbound-per-prefix = 8, max-handshakes-per-prefix = 2, max-inbound = 40, max-handshakes = 32 }
              }
              control.listen = "127.0.0.1:0"
              scoring { weights.invalid-frame = -60, ban-period = 2h, prefix-weight = 0, capacity = 500 }
            }
            """);

        var node = loaded.Node;
        Assert.Equal(PeerScoreParameters.Default with { InvalidWeight = -60, BanPeriod = TimeSpan.FromHours(2), PrefixWeight = 0, Capacity = 500 }, node.Scoring);
        Assert.Equal(_files.Key.PublicKey, node.Identity.PublicKey);
        Assert.Equal(_files.Key.PublicKey, node.CertificateKey.PublicKey);
        Assert.Equal(_files.Certificate, node.Certificate);
        Assert.True(node.Trusted.TryGetKey(_files.Authority.Name, out var authority));
        Assert.Equal(_files.Authority.PublicKey, authority);
        Assert.Equal("", node.ContactAddress); // the bound listen address, filled in at start
        Assert.Equal(["127.0.0.1:9801", "node2.example:9735"], node.StaticPeers);
        Assert.Equal((3, 5, 10, 6, 20, 1), (node.Fanout, node.MaxHops, node.BaseDifficultyBits, node.MaxExtraDifficultyBits, node.MaxAcceptedDifficultyBits, node.PowWorkers));
        Assert.Null(node.FavourPriceMsat);
        Assert.Equal(2500UL, node.RelayFeeMsat);
        Assert.Equal(TimeSpan.FromSeconds(90), node.FavourValidity);
        Assert.Equal(TimeSpan.FromMinutes(30), node.ReplyInvoiceExpiry);
        Assert.IsType<TaxiDriverPolicy>(node.ReplyPolicy);
        Assert.Equal(new LightningSettings("embedded", 1_000_000_000), loaded.Lightning);
        Assert.Equal("127.0.0.1:0", loaded.Transport.Listen);
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(10)),
            (loaded.Transport.KeepaliveInterval, loaded.Transport.IdleTimeout, loaded.Transport.HandshakeTimeout));
        Assert.Equal((TimeSpan.FromSeconds(4), 2_000_000), (loaded.Transport.RecordDeadline, loaded.Transport.OutboxMaxBytes));
        Assert.Equal((16, 48), (loaded.Transport.Ipv4PrefixLength, loaded.Transport.Ipv6PrefixLength));
        Assert.Equal((8, 2, 40, 32), (loaded.Transport.MaxInboundPerPrefix, loaded.Transport.MaxHandshakesPerPrefix, loaded.Transport.MaxInbound, loaded.Transport.MaxHandshakes));
        Assert.Equal("127.0.0.1:0", loaded.ControlListen);
        Assert.Equal(Path.Combine(_files.Directory, "state"), loaded.DataDirectory);
    }

    [Fact]
    public void Lightning_priced_favours_and_a_separate_certificate_key_are_read()
    {
        var certificateKey = PrivateKey.Generate();
        var now = DateTimeOffset.UtcNow;
        _files.WriteKey("cert.key", certificateKey);
        _files.WriteCertificate("other.cert", _files.Authority.Issue(certificateKey.PublicKey, "rider", [], now.AddDays(-1), now.AddDays(1)));

        var node = Load("""
            sweetgossip.node {
              certificate-key-file = "cert.key"
              certificate-file = "other.cert"
              favour-price-msat = 50000
              listen = "0.0.0.0:9735"
              contact-address = "node1:9735"
            }
            """).Node;

        Assert.Equal(50_000UL, node.FavourPriceMsat);
        Assert.Equal(certificateKey.PublicKey, node.CertificateKey.PublicKey);
        Assert.Equal("node1:9735", node.ContactAddress);
    }

    [Fact]
    public void The_scoring_defaults_of_reference_conf_are_the_score_books()
    {
        Assert.Equal(PeerScoreParameters.Default, Load().Node.Scoring);
    }

    [Fact]
    public void The_annotated_example_in_hocon_node_conf_states_the_reference_defaults()
    {
        var example = ConfigurationFactory.ParseString(File.ReadAllText(RepositoryFile("hocon/node.conf")));
        var mine = ConfigurationFactory.ParseString(_files.MinimalConfig);
        var fromExample = NodeSettingsLoader.Load(mine.WithFallback(example).WithFallback(NodeConfig.Reference), _files.Directory);
        var fromReference = Load();

        Assert.Equal(fromReference.Transport, fromExample.Transport);
        Assert.Equal(fromReference.Lightning, fromExample.Lightning);
        Assert.Equal(fromReference.ControlListen, fromExample.ControlListen);
        Assert.Equal(fromReference.DataDirectory, fromExample.DataDirectory);
        Assert.Equal(Knobs(fromReference.Node), Knobs(fromExample.Node));
        Assert.Equal(SettlementSettings.From(NodeConfig.Reference), SettlementSettings.From(mine.WithFallback(example).WithFallback(NodeConfig.Reference)));
        Assert.Equal(MetricsSettings.From(NodeConfig.Reference), MetricsSettings.From(mine.WithFallback(example).WithFallback(NodeConfig.Reference)));
    }

    [Theory]
    [InlineData("sweetgossip.settlement.retention = never", "sweetgossip.settlement.retention: 'never' is not a duration")]
    [InlineData("sweetgossip.settlement.snapshot-every = 1", "sweetgossip.settlement.snapshot-every: must be 10..10000000 (got 1)")]
    [InlineData("sweetgossip.settlement.relay.max-cltv-expiry-delta = 0", "sweetgossip.settlement.relay.max-cltv-expiry-delta: must be 1..100000 (got 0)")]
    [InlineData("sweetgossip.settlement.relay { min-cltv-delta-margin = 50, cltv-delta-increment = 40 }", "sweetgossip.settlement.relay.cltv-delta-increment: must be at least relay.min-cltv-delta-margin (50)")]
    public void A_bad_settlement_setting_is_refused_naming_its_key(string extra, string expected)
    {
        var e = Assert.Throws<NodeConfigException>(() => SettlementSettings.From(ConfigurationFactory.ParseString(extra).WithFallback(NodeConfig.Reference)));
        Assert.StartsWith(expected, e.Message);
    }

    private static object Knobs(SweetGossip.Node.Core.NodeSettings n) => new
    {
        n.ContactAddress, Peers = string.Join(",", n.StaticPeers), n.Fanout, n.MaxHops, n.BaseDifficultyBits, n.MaxExtraDifficultyBits,
        n.UnthankedPerExtraBit, n.MaxAcceptedDifficultyBits, n.PowWorkers, n.FavourPriceMsat, n.MaxFavourPriceMsat, n.RelayFeeMsat,
        n.AutoPayMaxMsat, n.MaxPathFeeMsat, n.MaxRelayFeeMsat, n.FavourValidity, n.ReplyInvoiceExpiry, n.ValidateTimeout, Policy = n.ReplyPolicy.GetType(),
        n.PeerFramesPerSecond, n.PeerBurst, n.Scoring, n.Dissemination, n.DeliverTimeout, n.MaxAnnouncers, n.AnnouncedCapacity, n.AnnounceSpendMultiple, n.GatherWindow, n.PeerChoice,
    };

    [Fact]
    public void Fanout_is_the_default_dissemination_and_announce_is_read_with_its_settings()
    {
        Assert.Equal(SweetGossip.Node.Core.Dissemination.Fanout, Load().Node.Dissemination);
        var announce = Load("sweetgossip.node { dissemination = announce, announce { deliver-timeout = 3s, max-announcers = 4, capacity = 500 } }").Node;
        Assert.Equal((SweetGossip.Node.Core.Dissemination.Announce, TimeSpan.FromSeconds(3), 4, 500),
            (announce.Dissemination, announce.DeliverTimeout, announce.MaxAnnouncers, announce.AnnouncedCapacity));
    }

    [Fact]
    public void Announce_with_favours_priced_in_sats_loads()
    {
        var node = Load("sweetgossip.node { dissemination = announce, favour-price-msat = 1000 }").Node;
        Assert.Equal((SweetGossip.Node.Core.Dissemination.Announce, (ulong?)1000), (node.Dissemination, node.FavourPriceMsat));
    }

    private static string RepositoryFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }

    [Theory]
    [InlineData("sweetgossip.node.fanout = 0", "sweetgossip.node.fanout: must be 1..64 (got 0)")]
    [InlineData("sweetgossip.node.max-hops = lots", "sweetgossip.node.max-hops: 'lots' is not a whole number")]
    [InlineData("sweetgossip.node.peers = [\"nowhere\"]", "sweetgossip.node.peers[0]: 'nowhere': expected host:port")]
    [InlineData("sweetgossip.node.peers = \"127.0.0.1:1\"", "sweetgossip.node.peers: must be a list")]
    [InlineData("sweetgossip.node.listen = \"example.com:9735\"", "sweetgossip.node.listen: 'example.com:9735': listen on an IP address")]
    [InlineData("sweetgossip.node.listen = \"0.0.0.0:9735\"", "sweetgossip.node.contact-address: required when listen")]
    [InlineData("sweetgossip.node.identity-key-file = \"missing.key\"", "sweetgossip.node.identity-key-file: file not found")]
    [InlineData("sweetgossip.node.identity-key-file = \"node.cert\"", "sweetgossip.node.identity-key-file: ")]
    [InlineData("sweetgossip.node.certificate-file = \"node.key\"", "sweetgossip.node.certificate-file: ")]
    [InlineData("sweetgossip.node.trusted-authorities = []", "sweetgossip.node.trusted-authorities: list at least one authority")]
    [InlineData("sweetgossip.node.trusted-authorities = [{ name = \"x\", public-key = \"zz\" }]", "sweetgossip.node.trusted-authorities[0].public-key: not a public key")]
    [InlineData("sweetgossip.node.trusted-authorities = [{ public-key = \"zz\" }]", "sweetgossip.node.trusted-authorities[0].name: missing")]
    [InlineData("sweetgossip.node.pow.base-difficulty = 60", "sweetgossip.node.pow.max-extra: base-difficulty + max-extra must be at most 64")]
    [InlineData("sweetgossip.node.relay-fee-msat = -1", "sweetgossip.node.relay-fee-msat: '-1' is not an amount")]
    [InlineData("sweetgossip.node.favour-validity = soon", "sweetgossip.node.favour-validity: 'soon' is not a duration")]
    [InlineData("sweetgossip.node.dissemination = flood", "sweetgossip.node.dissemination: 'flood' is not a dissemination mode (fanout or announce)")]
    [InlineData("sweetgossip.node.announce.deliver-timeout = soon", "sweetgossip.node.announce.deliver-timeout: 'soon' is not a duration")]
    [InlineData("sweetgossip.node.announce.gather-window = -1s", "sweetgossip.node.announce.gather-window: ")]
    [InlineData("sweetgossip.node.pow.decline-margin = -1s", "sweetgossip.node.pow.decline-margin: ")]
    [InlineData("sweetgossip.node { pow.decline-margin = 5s, announce.deliver-timeout = 5s }", "sweetgossip.node.pow.decline-margin: must be under announce.deliver-timeout")]
    [InlineData("sweetgossip.node.announce.rank-by-deliveries = maybe", "sweetgossip.node.announce.rank-by-deliveries: 'maybe' is not on or off")]
    [InlineData("sweetgossip.node { announce.ask-timeout = 5s, announce.deliver-timeout = 5s }", "sweetgossip.node.announce.ask-timeout: must be at least announce.deliver-timeout + gather-window")]
    [InlineData("sweetgossip.node { announce.ask-timeout = 3m, favour-validity = 2m }", "sweetgossip.node.announce.ask-timeout: must be at most favour-validity")]
    [InlineData("sweetgossip.node.announce.max-announcers = 0", "sweetgossip.node.announce.max-announcers: must be 1..64 (got 0)")]
    [InlineData("sweetgossip.node.announce.max-unredeemed-priced-favours = 0", "sweetgossip.node.announce.max-unredeemed-priced-favours: must be 1..64 (got 0)")]
    [InlineData("sweetgossip.node { announce.max-unredeemed-priced-favours = 9, favour-book.per-peer-capacity = 8 }", "sweetgossip.node.announce.max-unredeemed-priced-favours: must not exceed favour-book.per-peer-capacity (8), got 9")]
    [InlineData("sweetgossip.node { favour-validity = 30s, favour-book.redeem-margin = 15s }", "sweetgossip.node.favour-book.redeem-margin: must be at least 0 and under half of favour-validity (00:00:30): a priced favour needs the margin to be paid, then to be redeemed (got 00:00:15)")]
    [InlineData("sweetgossip.node.link-drain.timeout = 0s", "sweetgossip.node.link-drain.timeout: must be a positive duration")]
    [InlineData("sweetgossip.node.link-drain.hold-for = 0s", "sweetgossip.node.link-drain.hold-for: must be a positive duration")]
    [InlineData("sweetgossip.node.link-drain { timeout = 5s, hold-for = 3s }", "sweetgossip.node.link-drain.hold-for: must exceed link-drain.timeout (00:00:05), got 00:00:03")]
    [InlineData("sweetgossip.node.link-drain.hold-frames = 0", "sweetgossip.node.link-drain.hold-frames: must be 1..100000000 (got 0)")]
    [InlineData("sweetgossip.node.link-drain { hold-frames = 8, hold-frames-per-peer = 9 }", "sweetgossip.node.link-drain.hold-frames-per-peer: must not exceed link-drain.hold-frames (8), got 9")]
    [InlineData("sweetgossip.scoring.weights.unredeemed-favour = 1", "sweetgossip.scoring.weights.unredeemed-favour: must be 0 or less: it is a penalty (got 1)")]
    [InlineData("sweetgossip.scoring.weights.undelivered-favour = 2", "sweetgossip.scoring.weights.undelivered-favour: must be 0 or less: it is a penalty (got 2)")]
    [InlineData("sweetgossip.node.reply-policy.kind = plumber", "sweetgossip.node.reply-policy.kind: 'plumber' is not a reply policy")]
    [InlineData("sweetgossip.node.reply-policy { kind = taxi-driver, area = \"r3gxa\", message = \"hi\" }", "sweetgossip.node.reply-policy.area: 'r3gxa' is not a geohash")]
    [InlineData("sweetgossip.node.reply-policy { kind = taxi-driver, area = \"r3gx\" }", "sweetgossip.node.reply-policy.message: must be 1..4096 characters")]
    [InlineData("sweetgossip.node.lightning.kind = lnd", "sweetgossip.node.lightning.kind: 'lnd' is not supported")]
    [InlineData("sweetgossip.node.lightning.kind = hub", "sweetgossip.node.lightning.hub: required when lightning.kind = hub")]
    [InlineData("sweetgossip.node.lightning { kind = hub, hub = \"127.0.0.1:9737\" }", "sweetgossip.node.lightning.hub: '127.0.0.1:9737' is not an http:// or https:// URL")]
    [InlineData("sweetgossip.node.lightning { kind = hub, hub = \"ftp://hub:21\" }", "sweetgossip.node.lightning.hub: 'ftp://hub:21' is not an http:// or https:// URL")]
    [InlineData("sweetgossip.node.lightning { kind = hub, hub = \"http://hub:9737/?x=1\" }", "sweetgossip.node.lightning.hub: 'http://hub:9737/?x=1' is not an http:// or https:// URL")]
    [InlineData("sweetgossip.node.lightning.hub = \"http://127.0.0.1:9737\"", "sweetgossip.node.lightning.hub: is set ('http://127.0.0.1:9737') but lightning.kind is 'embedded'")]
    [InlineData("sweetgossip.node.lightning { kind = hub, hub = \"http://127.0.0.1:9737\" }", "sweetgossip.node.lightning.hub-token-file: required when lightning.kind = hub")]
    [InlineData("sweetgossip.node.lightning { kind = hub, hub = \"http://127.0.0.1:9737\", hub-token-file = \"missing.token\" }", "sweetgossip.node.lightning.hub-token-file: file not found")]
    [InlineData("sweetgossip.node.lightning { kind = hub, hub = \"http://127.0.0.1:9737\", hub-token-file = \"node.key\" }", "sweetgossip.node.lightning.hub-token-file: ")]
    [InlineData("sweetgossip.node.transport.idle-timeout = 1s", "sweetgossip.node.transport.idle-timeout: must be longer than transport.keepalive-interval")]
    [InlineData("sweetgossip.node.transport.max-inbound-per-prefix = 0", "sweetgossip.node.transport.max-inbound-per-prefix: must be 1..1000000 (got 0)")]
    [InlineData("sweetgossip.node.transport.max-handshakes = many", "sweetgossip.node.transport.max-handshakes: 'many' is not a whole number")]
    [InlineData("sweetgossip.node.transport { max-inbound-per-prefix = 2, max-handshakes-per-prefix = 3 }", "sweetgossip.node.transport.max-handshakes-per-prefix: must be at most transport.max-inbound-per-prefix (2)")]
    [InlineData("sweetgossip.node.transport { max-handshakes = 2, max-handshakes-per-prefix = 3 }", "sweetgossip.node.transport.max-handshakes-per-prefix: must be at most transport.max-handshakes (2)")]
    [InlineData("sweetgossip.node.transport { max-inbound = 10, max-inbound-per-prefix = 11 }", "sweetgossip.node.transport.max-inbound-per-prefix: must be at most transport.max-inbound (10)")]
    [InlineData("sweetgossip.node.transport { max-inbound = 20, max-handshakes = 21 }", "sweetgossip.node.transport.max-handshakes: must be at most transport.max-inbound (20)")]
    [InlineData("sweetgossip.node.transport.ipv4-prefix-length = 33", "sweetgossip.node.transport.ipv4-prefix-length: must be 1..32 (got 33)")]
    [InlineData("sweetgossip.node.transport.ipv6-prefix-length = 0", "sweetgossip.node.transport.ipv6-prefix-length: must be 1..128 (got 0)")]
    [InlineData("sweetgossip.node.transport.record-deadline = 0s", "sweetgossip.node.transport.record-deadline: must be a positive duration")]
    [InlineData("sweetgossip.node.transport.outbox-max-bytes = 65555", "sweetgossip.node.transport.outbox-max-bytes: must be 65556..2147483647 (got 65555)")]
    [InlineData("sweetgossip.node.transport.max-inbound-per-ip = 8", "sweetgossip.node.transport.max-inbound-per-ip: no longer read: inbound caps are per address prefix; use transport.max-inbound-per-prefix")]
    [InlineData("sweetgossip.node.transport.max-handshakes-per-ip = 2", "sweetgossip.node.transport.max-handshakes-per-ip: no longer read: inbound caps are per address prefix; use transport.max-handshakes-per-prefix")]
    [InlineData("sweetgossip.scoring.weights.invalid-frame = 40", "sweetgossip.scoring.weights.invalid-frame: must be 0 or less: it is a penalty (got 40)")]
    [InlineData("sweetgossip.scoring.weights.thanked = lots", "sweetgossip.scoring.weights.thanked: 'lots' is not a number")]
    [InlineData("sweetgossip.scoring.negative-decay-per-minute = 1", "sweetgossip.scoring.negative-decay-per-minute: must be between 0 and 1, both excluded (got 1)")]
    [InlineData("sweetgossip.scoring.disconnect-threshold = 10", "sweetgossip.scoring.disconnect-threshold: must be below 0")]
    [InlineData("sweetgossip.scoring { disconnect-threshold = -50, prefix-ban-threshold = -20 }", "sweetgossip.scoring.prefix-ban-threshold: must be at most disconnect-threshold (-50)")]
    [InlineData("sweetgossip.scoring.prefix-weight = 2", "sweetgossip.scoring.prefix-weight: must be 0..1")]
    [InlineData("sweetgossip.scoring.ban-period = forever", "sweetgossip.scoring.ban-period: 'forever' is not a duration")]
    [InlineData("sweetgossip.scoring.capacity = 0", "sweetgossip.scoring.capacity: must be 1..10000000 (got 0)")]
    [InlineData("sweetgossip.scoring.weights.delivery-deficit = 1", "sweetgossip.scoring.weights.delivery-deficit: must be 0 or less: it is a penalty (got 1)")]
    [InlineData("sweetgossip.node.peer-choice.outbound-quota = -1", "sweetgossip.node.peer-choice.outbound-quota: must be 0..1024 (got -1)")]
    [InlineData("sweetgossip.node.peer-choice.deficit-after = never", "sweetgossip.node.peer-choice.deficit-after: 'never' is not a whole number")]
    [InlineData("sweetgossip.node.peer-choice { outbound-quota = 6, exploration = 3 }", "sweetgossip.node.peer-choice.outbound-quota: outbound-quota + exploration must be at most max-asks-per-topic (8), got 6 + 3")]
    [InlineData("sweetgossip.node.peer-choice.graft-every = -3", "sweetgossip.node.peer-choice.graft-every: must be 0..1000000 (got -3)")]
    [InlineData("sweetgossip.node.peer-choice.graft-every = 3", "sweetgossip.node.peer-choice.graft-every: grafts peers out of deficit, so it needs peer-choice.deficit-after above 0")]
    [InlineData("sweetgossip.node.peer-choice.graft-threshold = -1", "sweetgossip.node.peer-choice.graft-threshold: must be 0 or more")]
    [InlineData("sweetgossip.node.peer-choice.graft-decay = 0", "sweetgossip.node.peer-choice.graft-decay: must be above 0 and at most 1")]
    [InlineData("sweetgossip.node.peer-choice.graft-decay = 1.5", "sweetgossip.node.peer-choice.graft-decay: must be above 0 and at most 1")]
    [InlineData("sweetgossip.control.listen = \"0.0.0.0:9736\"", "sweetgossip.control.listen: '0.0.0.0:9736': the control endpoint speaks plain HTTP to local commands")]
    public void A_bad_setting_is_refused_naming_its_key(string extra, string expected)
    {
        var e = Assert.Throws<NodeConfigException>(() => Load(extra));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void A_lightning_hub_is_read_with_its_url_the_name_to_register_and_its_token_file()
    {
        var token = Path.Combine(_files.Directory, "hub", Lightning.Remote.HubToken.FileName);
        Directory.CreateDirectory(Path.GetDirectoryName(token)!);
        File.WriteAllText(token, new string('a', 64) + "\n");
        var loaded = Load("""
            sweetgossip.node.lightning { kind = hub, hub = "http://127.0.0.1:9737", name = "m1", starting-balance-msat = 5000, hub-token-file = "hub/hub.token" }
            """);

        Assert.Equal(new LightningSettings("hub", 5000, new Uri("http://127.0.0.1:9737"), "m1", token), loaded.Lightning);
    }

    [Fact]
    public void Revocations_are_read_per_authority_from_its_signed_list_and_from_serials_the_node_revokes_itself()
    {
        var now = DateTimeOffset.UtcNow;
        SignedCertificate Issue() => _files.Authority.Issue(PrivateKey.Generate().PublicKey, "rider", [], now.AddDays(-1), now.AddDays(1));
        var (listed, named, untouched) = (Issue(), Issue(), Issue());
        _files.WriteRevocationList("council.revocations", _files.Authority.PublishRevocations([listed.Body.Serial], now));

        var trusted = NodeSettingsLoader.Load(ConfigurationFactory.ParseString(_files.ConfigTrusting(_files.Authority,
            $", revocation-file = \"council.revocations\", revoked-serials = [\"{named.Body.Serial}\"]")).WithFallback(NodeConfig.Reference), _files.Directory).Node.Trusted;

        Assert.Equal(CertificateVerdict.Revoked, CertificateVerifier.Verify(listed, trusted, now));
        Assert.Equal(CertificateVerdict.RevokedByNode, CertificateVerifier.Verify(named, trusted, now));
        Assert.Equal(CertificateVerdict.Valid, CertificateVerifier.Verify(untouched, trusted, now));
    }

    [Theory]
    [InlineData("serial", "sweetgossip.node.trusted-authorities[0].revoked-serials[1]: 'abc' is not a certificate serial (32 hex digits")]
    [InlineData("missing", "sweetgossip.node.trusted-authorities[0].revocation-file: file not found")]
    [InlineData("not a list", "sweetgossip.node.trusted-authorities[0].revocation-file: ")]
    [InlineData("other authority", "sweetgossip.node.trusted-authorities[0].revocation-file: ")]
    [InlineData("forged", "sweetgossip.node.trusted-authorities[0].revocation-file: ")]
    [InlineData("twice", "sweetgossip.node.trusted-authorities[1].name: 'Sydney Taxi Council' is listed twice")]
    public void A_bad_revocation_setting_is_refused_naming_its_key(string what, string expected)
    {
        var now = DateTimeOffset.UtcNow;
        var impostor = new CertificateAuthority(_files.Authority.Name, PrivateKey.Generate());
        var genuine = CertificateWire.EncodeSignedRevocationList(_files.Authority.PublishRevocations([], now));
        genuine[^1] ^= 0x01; // the signature is the last field
        _files.WriteRevocationList("impostor.revocations", impostor.PublishRevocations([], now));
        File.WriteAllText(Path.Combine(_files.Directory, "forged.revocations"),
            $$"""{"type": "sweetgossip-revocation-list", "wire": "{{Convert.ToBase64String(genuine)}}"}""");
        var entry = what switch
        {
            "serial" => $", revoked-serials = [\"{CertificateSerial.New()}\", \"abc\"]",
            "missing" => ", revocation-file = \"nowhere.revocations\"",
            "not a list" => ", revocation-file = \"node.cert\"",
            "other authority" => ", revocation-file = \"impostor.revocations\"",
            "forged" => ", revocation-file = \"forged.revocations\"",
            _ => $" }}, {{ name = \"{_files.Authority.Name}\", public-key = \"{_files.Authority.PublicKey.ToHex()}\"",
        };
        var config = ConfigurationFactory.ParseString(_files.ConfigTrusting(_files.Authority, entry)).WithFallback(NodeConfig.Reference);

        var e = Assert.Throws<NodeConfigException>(() => NodeSettingsLoader.Load(config, _files.Directory));

        Assert.StartsWith(expected, e.Message);
        Assert.Contains(what switch
        {
            "not a list" => "not a 'sweetgossip-revocation-list' file",
            "other authority" => "not of this authority",
            "forged" => "revocation list signature does not verify",
            _ => "",
        }, e.Message);
    }

    [Fact]
    public void A_certificate_issued_to_another_key_is_refused()
    {
        var now = DateTimeOffset.UtcNow;
        _files.WriteCertificate("node.cert", _files.Authority.Issue(PrivateKey.Generate().PublicKey, "rider", [], now.AddDays(-1), now.AddDays(1)));
        var e = Assert.Throws<NodeConfigException>(() => Load());
        Assert.StartsWith("sweetgossip.node.certificate-file: ", e.Message);
        Assert.Contains("not to this node's certificate key", e.Message);
    }
}
