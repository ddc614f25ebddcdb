using System.CommandLine;
using SweetGossip.Cli.Control;
using SweetGossip.Daemon.Control;
using SweetGossip.Cli.Files;
using System.Net.Http.Json;
using SweetGossip.Lightning.Bolt11;
using SweetGossip.Lightning.Remote;
using SweetGossip.LightningHub;
using SweetGossip.Protocol.Crypto;
using SweetGossip.Protocol.Primitives;

namespace SweetGossip.Cli.Commands;

/// <summary>`sgossip ln invoice|decode`: BOLT 11 invoices outside a node.</summary>
internal static class LnCommands
{
    // The hub's own conventions (its hex converters), readable as the CLI's other JSON.
    private static readonly System.Text.Json.JsonSerializerOptions LnStateJson =
        CliContext.Readable(new System.Text.Json.JsonSerializerOptions(HubJson.Options) { WriteIndented = true });

    public static Command Build()
    {
        var ln = new Command("ln", "Lightning: BOLT 11 invoices, paying from a node, the Lightning hub");
        ln.Subcommands.Add(Invoice());
        ln.Subcommands.Add(Decode());
        ln.Subcommands.Add(Pay());
        ln.Subcommands.Add(Hub());
        ln.Subcommands.Add(HubState());
        return ln;
    }

    private static Command Invoice()
    {
        var amount = Options.Required<ulong>("--amount-sat", "Amount in satoshis");
        var memo = Options.WithDefault("--memo", "Description (d field)", "");
        var key = Options.Optional<string>("--key", "Key file of the payee node (default: a fresh key, printed)");
        var network = Options.WithDefault("--network", "mainnet, testnet, signet or regtest", "regtest");
        var expiry = Options.WithDefault("--expiry", "Seconds the invoice can be paid", 3600UL);
        var cltv = Options.WithDefault("--cltv-delta", "min_final_cltv_expiry_delta (blocks)", 18UL);
        var preimage = Options.Optional<string>("--preimage", "Payment preimage (64 hex digits; default: random, printed)");
        var control = ControlOptions.Optional("Ask a running node (its control URL) for an invoice it settles when paid, instead of signing one here");
        var command = Options.Command("invoice", "Create and sign a BOLT 11 invoice (prints the string, its payment hash and preimage)",
            [amount, memo, key, network, expiry, cltv, preimage, .. control.All]);
        command.SetAction(async (parse, cancel) =>
        {
            var ctx = CliContext.From(parse);
            var sats = parse.GetValue(amount);
            if (sats == 0 || sats > 21_000_000UL * 100_000_000UL)
                throw new CliException($"--amount-sat: {sats} is not a payable amount");
            if (control.Target(parse) is { } node)
            {
                var issued = await ControlClient.PostAsync<LnInvoiceView>(node, "/ln/invoices", new LnInvoiceRequest(sats, parse.GetValue(memo), parse.GetValue(expiry)), cancel);
                ctx.Write(issued, issued.PaymentRequest, $"payment hash {issued.PaymentHash}");
                return 0;
            }
            var nodeKey = parse.GetValue(key) is { } path ? KeyFile.Load(path) : PrivateKey.Generate();
            var secret = parse.GetValue(preimage) is { } hex ? Hash32.FromSpan(Options.HexBytes(hex, Hash32.Length, "--preimage")) : Hash32.Random();
            var invoice = new Bolt11Invoice
            {
                Network = ParseNetwork(parse.GetValue(network)!),
                AmountMsat = sats * 1000,
                Timestamp = UnixTime.Truncate(DateTimeOffset.UtcNow),
                PaymentHash = secret.Sha256().ToArray(),
                PaymentSecret = Hash32.Random().ToArray(),
                Description = parse.GetValue(memo)!,
                ExpirySeconds = parse.GetValue(expiry),
                MinFinalCltvExpiry = parse.GetValue(cltv),
                Features = Bolt11Features.Of(Bolt11Features.VarOnionOptin, Bolt11Features.PaymentSecret),
            };
            var encoded = Bolt11Codec.Encode(invoice, nodeKey.ToBytes());
            ctx.Write(new
            {
                PaymentRequest = encoded,
                PaymentHash = secret.Sha256().ToHex(),
                Preimage = secret.ToHex(),
                Payee = Convert.ToHexStringLower(Bolt11Codec.GetPublicKey(nodeKey.ToBytes())),
            }, encoded, $"payment hash {secret.Sha256()}", $"preimage     {secret}");
            return 0;
        });
        return command;
    }

    private static Command Pay()
    {
        var invoice = new Argument<string>("bolt11") { Description = "The BOLT 11 payment request to pay" };
        var control = ControlOptions.Default();
        var command = new Command("pay", "Pay an invoice from a running node's Lightning wallet (through its journaled settlement actor)");
        command.Arguments.Add(invoice);
        foreach (var option in control.All) command.Options.Add(option);
        command.SetAction(async (parse, cancel) =>
        {
            var ctx = CliContext.From(parse);
            // The node waits for the payment's final state (up to ControlApi.PaymentTimeout): so does this.
            var paid = await ControlClient.PostAsync<LnPaymentView>(control.Target(parse)!, "/ln/payments", new LnPayRequest(parse.GetValue(invoice)), cancel,
                ControlApi.PaymentTimeout + TimeSpan.FromSeconds(10));
            ctx.Write(paid, paid.Status == "succeeded"
                ? $"paid {paid.AmountMsat / 1000} sat (fee {paid.FeeMsat} msat); preimage {paid.Preimage}"
                : $"payment failed: {paid.Failure}");
            return paid.Status == "succeeded" ? 0 : 1;
        });
        return command;
    }

    private static Command Hub()
    {
        var listen = Options.WithDefault("--listen", "Address to serve the hub's HTTP/JSON API on (loopback; port 0 picks a free one)", "127.0.0.1:9737");
        var data = Options.Required<string>("--data", "Directory of the hub's token (hub.token, written on first start) and its journal (journal.db): balances, invoices and holds survive a restart");
        var config = Options.Optional<string>("--config", "HOCON file over the hub's defaults: sweetgossip.hub settings, or akka.persistence pointing the journal at PostgreSQL (see hocon/hub.conf)");
        var allowRemote = Options.WithDefault("--allow-remote", "Allow a non-loopback --listen (plain HTTP: for a private test network only, e.g. docker compose)", false);
        var command = Options.Command("hub", "Run a Lightning hub in the foreground: one embedded Lightning network (hold invoices) shared by node processes over HTTP, journaled",
            listen, data, config, allowRemote);
        command.SetAction((parse, cancel) => HubProcess.RunAsync(
            parse.GetValue(listen)!, parse.GetValue(data)!, parse.GetValue(config), parse.GetValue(allowRemote), parse.InvocationConfiguration.Output, cancel));
        return command;
    }

    private static Command HubState()
    {
        var hub = Options.WithDefault("--hub", "Base URL of the Lightning hub", "http://127.0.0.1:9737");
        var tokenFile = Options.Required<string>("--token-file", "The hub's token file (hub.token in its --data directory)");
        var command = Options.Command("hub-state", "Show a Lightning hub's nodes (balances) and invoices; --json for everything, with each invoice's history", hub, tokenFile);
        command.SetAction(async (parse, cancel) =>
        {
            var ctx = CliContext.From(parse);
            var url = parse.GetValue(hub)!;
            if (!Uri.TryCreate(url.TrimEnd('/') + "/state", UriKind.Absolute, out var stateUrl) || stateUrl.Scheme is not ("http" or "https"))
                throw new CliException($"--hub: '{url}' is not an http URL (e.g. http://127.0.0.1:9737)");
            string token;
            try
            {
                token = HubToken.Read(parse.GetValue(tokenFile)!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"--token-file: {e.Message}");
            }
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            HubState state;
            try
            {
                using var response = await http.GetAsync(stateUrl, cancel);
                if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
                    throw new CliException($"the Lightning hub at {url} refused the token in {parse.GetValue(tokenFile)} (401): is it this hub's hub.token?");
                response.EnsureSuccessStatusCode();
                state = await response.Content.ReadFromJsonAsync<HubState>(HubJson.Options, cancel)
                    ?? throw new CliException($"{stateUrl}: empty answer");
            }
            catch (HttpRequestException e)
            {
                throw new CliException($"cannot reach the Lightning hub at {url}: {e.Message}");
            }
            catch (TaskCanceledException) when (!cancel.IsCancellationRequested)
            {
                throw new CliException($"the Lightning hub at {url} did not answer in time");
            }
            catch (System.Text.Json.JsonException)
            {
                throw new CliException($"{stateUrl}: not a Lightning hub's state");
            }
            if (ctx.Json)
            {
                ctx.Output.WriteLine(System.Text.Json.JsonSerializer.Serialize(state, LnStateJson));
                return 0;
            }
            ctx.Output.WriteLine($"total {state.TotalMsat} msat (deposited {state.DepositedMsat}), invariants {state.Invariants}");
            foreach (var n in state.Nodes)
                ctx.Output.WriteLine($"{CliContext.Visible(n.Name)}  available {n.AvailableMsat}  out-locked {n.OutgoingLockedMsat}  in-pending {n.IncomingPendingMsat}  (opened with {n.OpeningBalanceMsat})");
            foreach (var group in state.Invoices.GroupBy(i => i.State).OrderBy(g => g.Key))
                ctx.Output.WriteLine($"invoices {group.Key.ToString().ToLowerInvariant()}: {group.Count()}");
            return 0;
        });
        return command;
    }

    private static Command Decode()
    {
        var invoice = new Argument<string>("bolt11") { Description = "The BOLT 11 payment request" };
        var command = new Command("decode", "Decode and check a BOLT 11 invoice (like lncli decodepayreq)");
        command.Arguments.Add(invoice);
        command.SetAction(parse =>
        {
            var ctx = CliContext.From(parse);
            var text = parse.GetValue(invoice)!;
            if (!Bolt11Codec.TryDecode(text, out var decoded, out var reason))
                throw new CliException($"not a valid BOLT 11 invoice: {reason}");
            var d = decoded!;
            var now = DateTimeOffset.UtcNow;
            ctx.Write(new
            {
                Destination = Convert.ToHexStringLower(d.PayeeNodeId),
                PaymentHash = Convert.ToHexStringLower(d.PaymentHash),
                NumSatoshis = d.AmountMsat / 1000,
                NumMsat = d.AmountMsat,
                Timestamp = d.Timestamp.ToUnixTimeSeconds(),
                Expiry = d.ExpirySeconds,
                Description = d.Description,
                DescriptionHash = d.DescriptionHash is { } h ? Convert.ToHexStringLower(h) : null,
                CltvExpiry = d.MinFinalCltvExpiry,
                PaymentAddr = d.PaymentSecret is { } s ? Convert.ToHexStringLower(s) : null,
                Network = d.Network.ToString().ToLowerInvariant(),
                Features = d.Features.ToString(),
                RouteHints = d.RouteHints.Count,
                FallbackAddrs = d.FallbackAddresses.Select(f => f.ToAddress(d.Network)).ToArray(),
                Expired = d.IsExpired(now),
            },
            $"destination  {Convert.ToHexStringLower(d.PayeeNodeId)}",
            $"payment hash {Convert.ToHexStringLower(d.PaymentHash)}",
            $"amount       {(d.AmountMsat is { } msat ? $"{msat / 1000} sat ({msat} msat)" : "any")}",
            $"description  {d.Description ?? "(hash " + Convert.ToHexStringLower(d.DescriptionHash ?? []) + ")"}",
            $"network      {d.Network.ToString().ToLowerInvariant()}",
            $"created      {d.Timestamp:O}",
            $"expires      {d.ExpiresAt:O}{(d.IsExpired(now) ? " (expired)" : "")}",
            $"cltv delta   {d.MinFinalCltvExpiry}",
            $"fallback     {(d.FallbackAddresses.Count == 0 ? "none" : string.Join(", ", d.FallbackAddresses.Select(f => f.ToAddress(d.Network))))}");
            return 0;
        });
        return command;
    }

    private static LightningNetwork ParseNetwork(string text) => text.ToLowerInvariant() switch
    {
        "mainnet" or "bitcoin" or "bc" => LightningNetwork.Mainnet,
        "testnet" or "tb" => LightningNetwork.Testnet,
        "signet" or "tbs" => LightningNetwork.Signet,
        "regtest" or "bcrt" => LightningNetwork.Regtest,
        _ => throw new CliException($"--network: '{text}' is not mainnet, testnet, signet or regtest"),
    };
}
