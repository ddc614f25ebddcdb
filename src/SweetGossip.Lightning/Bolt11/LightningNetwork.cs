using NBitcoin;

namespace SweetGossip.Lightning.Bolt11;

/// <summary>The Bitcoin network an invoice is payable on, as given by its BOLT 11 currency prefix.</summary>
public enum LightningNetwork
{
    /// <summary><c>lnbc</c></summary>
    Mainnet,

    /// <summary><c>lntb</c></summary>
    Testnet,

    /// <summary><c>lntbs</c></summary>
    Signet,

    /// <summary><c>lnbcrt</c></summary>
    Regtest,
}

/// <summary>Maps <see cref="LightningNetwork"/> to and from BOLT 11 currency prefixes, and to NBitcoin's network.</summary>
public static class LightningNetworkExtensions
{
    /// <summary>
    /// The Bitcoin network's parameters (address versions, segwit prefix), for the fallback addresses of
    /// <c>f</c> fields. Note signet: its addresses use <c>tb</c> like testnet, its invoices <c>lntbs</c>.
    /// </summary>
    public static Network BitcoinNetwork(this LightningNetwork network) => network switch
    {
        LightningNetwork.Mainnet => Bitcoin.Instance.Mainnet,
        LightningNetwork.Testnet => Bitcoin.Instance.Testnet,
        LightningNetwork.Signet => Bitcoin.Instance.Signet,
        LightningNetwork.Regtest => Bitcoin.Instance.Regtest,
        _ => throw new ArgumentOutOfRangeException(nameof(network), network, "Unknown network."),
    };

    /// <summary>
    /// The BOLT 11 currency prefix (<c>bc</c>, <c>tb</c>, <c>tbs</c>, <c>bcrt</c>). BOLT 11's own table, not
    /// the networks' address prefixes: signet invoices say <c>tbs</c>.
    /// </summary>
    public static string CurrencyPrefix(this LightningNetwork network) => network switch
    {
        LightningNetwork.Mainnet => "bc",
        LightningNetwork.Testnet => "tb",
        LightningNetwork.Signet => "tbs",
        LightningNetwork.Regtest => "bcrt",
        _ => throw new ArgumentOutOfRangeException(nameof(network), network, "Unknown network."),
    };

    /// <summary>The invoice prefix: <c>ln</c> followed by the currency prefix.</summary>
    public static string InvoicePrefix(this LightningNetwork network) => "ln" + network.CurrencyPrefix();

    /// <summary>Parses a (lower-case) currency prefix such as <c>bc</c> or <c>tbs</c>.</summary>
    public static bool TryParseCurrencyPrefix(string prefix, out LightningNetwork network)
    {
        switch (prefix)
        {
            case "bc":
                network = LightningNetwork.Mainnet;
                return true;
            case "tb":
                network = LightningNetwork.Testnet;
                return true;
            case "tbs":
                network = LightningNetwork.Signet;
                return true;
            case "bcrt":
                network = LightningNetwork.Regtest;
                return true;
            default:
                network = default;
                return false;
        }
    }
}
