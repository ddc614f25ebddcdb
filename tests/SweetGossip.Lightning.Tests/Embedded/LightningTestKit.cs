using SweetGossip.Lightning.Embedded;
using SweetGossip.Lightning.Port;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Lightning.Tests.Embedded;

/// <summary>A network on a manual clock, and small helpers shared by the tests.</summary>
public sealed class LightningTestKit : IDisposable
{
    public static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    public static readonly TimeSpan Block = TimeSpan.FromMinutes(10);

    public LightningTestKit(bool signInvoices = false, int seed = 1, ulong feeBaseMsat = 0, uint feePpm = 0)
    {
        Network = new EmbeddedLightningNetwork(new EmbeddedNetworkOptions
        {
            TimeProvider = Clock,
            SignInvoices = signInvoices,
            Seed = seed,
            BlockInterval = Block,
            RoutingFeeBaseMsat = feeBaseMsat,
            RoutingFeePpm = feePpm,
            OnCallbackError = e => CallbackErrors.Add(e),
        });
    }

    public ManualTimeProvider Clock { get; } = new();

    public EmbeddedLightningNetwork Network { get; }

    public List<Exception> CallbackErrors { get; } = [];

    public EmbeddedLightningNode Node(ulong balanceMsat = 1_000_000) => Network.CreateNode(balanceMsat);

    public static (Hash32 Preimage, Hash32 Hash) NewSecret(int i)
    {
        var bytes = new byte[32];
        BitConverter.TryWriteBytes(bytes, i);
        bytes[31] = 0x5a;
        var preimage = Hash32.FromSpan(bytes);
        return (preimage, preimage.Sha256());
    }

    public static Task<HoldInvoice> Invoice(
        ILightningNode node, Hash32 hash, ulong amountMsat = 1_000, TimeSpan? expiry = null, int cltvExpiryDelta = 18) =>
        node.AddHoldInvoiceAsync(hash, amountMsat, "test", expiry ?? Hour, cltvExpiryDelta);

    public static async Task<LightningException> ThrowsLightning(LightningErrorCode code, Func<Task> action)
    {
        var e = await Assert.ThrowsAsync<LightningException>(action);
        Assert.Equal(code, e.Code);
        return e;
    }

    public void AssertConserved()
    {
        Assert.Equal(Network.Ledger.DepositedMsat, Network.TotalMsat);
        Network.Ledger.CheckInvariants();
        Assert.Empty(CallbackErrors);
    }

    public void Dispose() => Network.Dispose();
}
