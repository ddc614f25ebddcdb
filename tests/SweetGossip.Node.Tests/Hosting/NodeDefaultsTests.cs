using System.Reflection;
using System.Runtime.CompilerServices;
using Akka.Configuration;
using SweetGossip.Node.Core;
using SweetGossip.Node.Hosting;
using SweetGossip.Node.Transport.Tcp;

namespace SweetGossip.Node.Tests.Hosting;

/// <summary>
/// reference.conf is the one place of the node's defaults: the settings records have none of their own, and the
/// defaults tests and the simulator start from (<see cref="NodeDefaults"/>) are what the loader reads from it.
/// </summary>
public sealed class NodeDefaultsTests : IDisposable
{
    private readonly NodeFilesFixture _files = new();

    public void Dispose() => _files.Dispose();

    private NodeHostSettings Load(string extra = "") =>
        NodeSettingsLoader.Load(ConfigurationFactory.ParseString(_files.MinimalConfig + "\n" + extra).WithFallback(NodeConfig.Reference), _files.Directory);

    // Not settings: what a node reports to, where its randomness comes from, and the simulator's seed.
    private static readonly HashSet<string> Wiring = [nameof(NodeSettings.Observer), nameof(NodeSettings.Entropy), nameof(NodeSettings.Seed)];

    [Fact]
    public void No_node_or_transport_setting_has_a_default_of_its_own_in_csharp()
    {
        var defaulted = typeof(NodeSettings).GetProperties().Where(p => p.CanWrite && !Wiring.Contains(p.Name) && !IsRequired(p)).Select(p => p.Name);
        Assert.Empty(defaulted);
        Assert.Empty(typeof(TcpTransportSettings).GetProperties().Where(p => p.CanWrite && !IsRequired(p)).Select(p => p.Name));
    }

    [Fact]
    public void The_defaults_code_starts_from_are_what_the_loader_reads_from_reference_conf()
    {
        var loaded = Load();
        var defaults = NodeDefaults.Node with
        {
            Identity = loaded.Node.Identity, CertificateKey = loaded.Node.CertificateKey, Certificate = loaded.Node.Certificate,
            Trusted = loaded.Node.Trusted, ContactAddress = loaded.Node.ContactAddress,
        };

        // Records compare their lists and policies by reference: compare every setting's value instead.
        foreach (var property in typeof(NodeSettings).GetProperties().Where(p => !Wiring.Contains(p.Name) && p.Name != nameof(NodeSettings.StaticPeers)))
            Assert.True(Equals(property.GetValue(loaded.Node), property.GetValue(defaults)), $"{property.Name}: loaded {property.GetValue(loaded.Node)}, default {property.GetValue(defaults)}");
        Assert.Equal(loaded.Node.StaticPeers, defaults.StaticPeers);
        Assert.Equal(loaded.Transport, NodeDefaults.Transport with { Listen = loaded.Transport.Listen });
    }

    [Fact]
    public void The_reply_invoices_cltv_delta_is_a_setting_read_and_bounded_like_the_others()
    {
        Assert.Equal(144, Load("sweetgossip.node.reply-cltv-expiry-delta = 144").Node.ReplyCltvExpiryDelta);
        var e = Assert.Throws<NodeConfigException>(() => Load("sweetgossip.node.reply-cltv-expiry-delta = 0"));
        Assert.StartsWith("sweetgossip.node.reply-cltv-expiry-delta: must be 1..2016 (got 0)", e.Message);
    }

    private static bool IsRequired(PropertyInfo property) => property.GetCustomAttribute<RequiredMemberAttribute>() is not null;
}
