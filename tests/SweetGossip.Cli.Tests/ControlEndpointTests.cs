using System.Net;
using System.Text;
using System.Text.Json;
using SweetGossip.Cli.Chaos;
using SweetGossip.Cli.Control;
using SweetGossip.Daemon.Control;

namespace SweetGossip.Cli.Tests;

/// <summary>
/// The control endpoint of a real `sgossip node run` process, attacked the way a web page or another local user
/// would: without its token, with a wrong one, through DNS rebinding (a foreign Host), from a foreign Origin. And
/// the CLI's commands still reach it, finding the token on their own.
/// </summary>
public sealed class ControlEndpointTests(ControlEndpointTests.RunningNode node) : CliTestBase, IClassFixture<ControlEndpointTests.RunningNode>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    private static readonly string[] Routes = ["GET /status", "GET /replies", "POST /topics/taxi", "POST /ln/invoices", "POST /ln/payments"];

    [Fact]
    public async Task Request_without_the_control_token_is_refused()
    {
        foreach (var route in Routes)
        {
            var (status, error, challenge) = await SendAsync(route, authorization: null);
            Assert.True(status == HttpStatusCode.Unauthorized, $"{route}: {status} {error}");
            Assert.StartsWith("unauthorized: send the node's control token", error);
            Assert.Equal("Bearer", challenge);
        }
    }

    [Fact]
    public async Task Web_page_paying_an_invoice_without_the_token_pays_nothing()
    {
        var invoice = Ok("ln", "invoice", "--amount-sat", "21", "--control", node.Url, "--json").Json().GetProperty("payment_request").GetString()!;

        var (status, _, _) = await SendAsync("POST /ln/payments", authorization: null, body: $$"""{"payment_request":"{{invoice}}"}""");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        // Not paid by the refused request: the node pays it now, once (a second payment would be "already paid").
        Assert.Equal("succeeded", Ok("ln", "pay", invoice, "--control", node.Url, "--json").Json().GetProperty("status").GetString());
    }

    [Fact]
    public async Task Request_with_a_wrong_token_is_refused()
    {
        var token = ControlToken.Read(node.TokenFile);
        var other = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        foreach (var authorization in new[] { $"Bearer {other}", $"Bearer {token[..63]}", $"Bearer {token}0", "Bearer", $"Basic {token}", token })
        {
            var (status, error, _) = await SendAsync("POST /topics/taxi", authorization);
            Assert.True(status == HttpStatusCode.Unauthorized, $"'{authorization}': {status} {error}");
        }
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("GET /status", $"Bearer {token}")).Status);
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:{port}")]
    [InlineData("127.0.0.1.evil.example:{port}")]
    [InlineData("localhost.evil.example:{port}")]
    [InlineData("192.168.1.10:{port}")]
    [InlineData("127.1:{port}")]
    public async Task Dns_rebinding_request_with_foreign_host_is_refused(string host)
    {
        // A page whose domain now resolves to 127.0.0.1 reaches the port, with the right token even: its Host gives it away.
        foreach (var route in Routes)
        {
            var (status, error, _) = await SendAsync(route, $"Bearer {ControlToken.Read(node.TokenFile)}", host: host.Replace("{port}", node.Port.ToString()));
            Assert.True(status == HttpStatusCode.MisdirectedRequest, $"{route} Host {host}: {status} {error}");
            Assert.StartsWith("misdirected: the control endpoint answers only requests addressed to localhost", error);
        }
    }

    [Theory]
    [InlineData("localhost:{port}")]
    [InlineData("LOCALHOST:{port}")]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]:{port}")]
    public async Task Requests_addressed_to_a_loopback_name_are_answered(string host)
    {
        var (status, error, _) = await SendAsync("GET /status", $"Bearer {ControlToken.Read(node.TokenFile)}", host: host.Replace("{port}", node.Port.ToString()));
        Assert.True(status == HttpStatusCode.OK, $"Host {host}: {status} {error}");
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://evil.example:{port}")]
    [InlineData("null")]
    [InlineData("http://127.0.0.1.evil.example:{port}")]
    public async Task Cross_site_request_with_foreign_origin_is_refused(string origin)
    {
        var (status, error, _) = await SendAsync("POST /topics/taxi", $"Bearer {ControlToken.Read(node.TokenFile)}", origin: origin.Replace("{port}", node.Port.ToString()));
        Assert.True(status == HttpStatusCode.Forbidden, $"Origin {origin}: {status} {error}");
        Assert.StartsWith("forbidden: the control endpoint does not answer requests a browser sends", error);
    }

    [Fact]
    public async Task A_loopback_origin_with_the_token_is_answered()
    {
        var (status, error, _) = await SendAsync("GET /status", $"Bearer {ControlToken.Read(node.TokenFile)}", origin: $"http://localhost:{node.Port}");
        Assert.True(status == HttpStatusCode.OK, $"{status} {error}");
    }

    [Fact]
    public void Commands_find_the_token_of_a_running_node_on_their_own()
    {
        var status = Ok("node", "status", "--control", node.Url, "--json").Json();
        Assert.Equal(node.Identity, status.GetProperty("identity").GetString());
        Assert.Equal(node.Identity, Ok("node", "status", "--control", $"http://localhost:{node.Port}", "--json").Json().GetProperty("identity").GetString());
        Assert.Equal("no replies yet", Ok("replies", "--control", node.Url).LastOutLine);
    }

    [Fact]
    public void Commands_take_the_token_file_they_are_given_and_say_when_it_is_the_wrong_one()
    {
        Assert.Equal(node.Identity, Ok("node", "status", "--control", node.Url, "--control-token-file", node.TokenFile, "--json").Json().GetProperty("identity").GetString());

        var wrong = PathOf("other.token");
        File.WriteAllText(wrong, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) + "\n");
        Assert.Equal($"error: the node at {node.Url} refused the control token from {wrong} (401): is it that node's control.token?",
            AssertOneLineError(Run("node", "status", "--control", node.Url, "--control-token-file", wrong)));
        File.WriteAllText(wrong, "not a token");
        Assert.Equal($"error: --control-token-file: {wrong} does not hold a control token (64 hex digits)",
            AssertOneLineError(Run("topic", "broadcast", "--control", node.Url, "--control-token-file", wrong, "--lat", "1", "--lon", "2")));
    }

    [Fact]
    public async Task A_command_run_elsewhere_takes_the_token_from_the_environment_or_says_how_to_give_it()
    {
        // No note for this node where this process looks: the token must be given.
        var elsewhere = PathOf("elsewhere");
        var lost = await RunChildAsync(new Dictionary<string, string> { [RunningNodes.Variable] = elsewhere });
        Assert.True(lost.Code == 1, lost.Output);
        Assert.Contains($"error: the node at {node.Url} wants its control token and none was found for it: give --control-token-file", lost.Output);

        var given = await RunChildAsync(new Dictionary<string, string> { [RunningNodes.Variable] = elsewhere, [ControlClient.TokenVariable] = ControlToken.Read(node.TokenFile) });
        Assert.True(given.Code == 0, given.Output);
        Assert.Contains(node.Identity, given.Output);
    }

    [Fact]
    public void Node_data_directory_control_token_journal_and_note_are_owner_only()
    {
        if (OperatingSystem.IsWindows()) return; // modes are a Unix thing; Windows inherits the parent's ACL
        const UnixFileMode file = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        const UnixFileMode directory = file | UnixFileMode.UserExecute;
        Assert.Equal(directory, File.GetUnixFileMode(node.DataDirectory));
        Assert.Equal(file, File.GetUnixFileMode(node.TokenFile));
        Assert.Matches("^[0-9a-f]{64}\n$", File.ReadAllText(node.TokenFile));
        foreach (var journal in Directory.GetFiles(node.DataDirectory, "journal.db*"))
            Assert.True(File.GetUnixFileMode(journal) == file, $"{journal}: {File.GetUnixFileMode(journal)}");
        Assert.Contains(Path.Combine(node.DataDirectory, "journal.db-wal"), Directory.GetFiles(node.DataDirectory));
        Assert.Equal(directory, File.GetUnixFileMode(RuntimeDirectory.Path));
        var note = Path.Combine(RuntimeDirectory.Path, $"control-{node.Port}.json");
        Assert.Equal(file, File.GetUnixFileMode(note));
        Assert.Equal(node.TokenFile, JsonDocument.Parse(File.ReadAllText(note)).RootElement.GetProperty("token_file").GetString());
        Assert.Empty(Directory.GetFiles(node.DataDirectory, "*.tmp", SearchOption.AllDirectories));
    }

    /// <summary>`sgossip node status` in a child process with <paramref name="environment"/>.</summary>
    private async Task<(int Code, string Output)> RunChildAsync(Dictionary<string, string> environment)
    {
        await using var child = ChildProcess.Start("status", Dir, environment, TimeSpan.FromSeconds(60), "node", "status", "--control", node.Url);
        await child.WaitForExitAsync();
        return (child.ExitCode, child.Output);
    }

    /// <summary>One raw request, as a browser or a script would send it; the status, the JSON error and the WWW-Authenticate scheme.</summary>
    private async Task<(HttpStatusCode Status, string? Error, string? Challenge)> SendAsync(
        string route, string? authorization, string? host = null, string? origin = null, string? body = null)
    {
        var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);
        using var request = new HttpRequestMessage(new HttpMethod(method), node.Url + path);
        if (method == "POST") request.Content = new StringContent(body ?? """{"lat":1,"lon":2}""", Encoding.UTF8, "application/json");
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        if (host is not null) request.Headers.Host = host;
        if (origin is not null) request.Headers.TryAddWithoutValidation("Origin", origin);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        string? error = null;
        try
        {
            using var json = JsonDocument.Parse(text);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var e)) error = e.GetString();
        }
        catch (JsonException)
        {
            error = text;
        }
        return (response.StatusCode, error, response.Headers.WwwAuthenticate.SingleOrDefault()?.Scheme);
    }

    /// <summary>One node process (embedded Lightning, no peers) for the whole class: its control URL, token and data.</summary>
    public sealed class RunningNode : IAsyncLifetime
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "sgossip-cli-tests", Guid.NewGuid().ToString("N"));
        private NodeProcessHandle? _process;

        public string Url { get; private set; } = "";

        public int Port => new Uri(Url).Port;

        public string TokenFile { get; private set; } = "";

        public string DataDirectory => Path.Combine(_dir, "data");

        public string Identity { get; private set; } = "";

        public async Task InitializeAsync()
        {
            RuntimeDirectory.Use();
            Directory.CreateDirectory(_dir);
            var ca = Path.Combine(_dir, "ca.json");
            var key = Path.Combine(_dir, "node.key");
            Cli("ca", "new", "--name", "Sydney Taxi Council", "--out", ca);
            Cli("keys", "new", "--out", key);
            Cli("ca", "issue", "--ca", ca, "--subject", key, "--name", "rider", "--out", Path.Combine(_dir, "node.cert"));
            var authority = JsonDocument.Parse(File.ReadAllText(ca)).RootElement.GetProperty("public_key").GetString();
            var config = Path.Combine(_dir, "node.conf");
            File.WriteAllText(config, $$"""
                sweetgossip {
                  data-directory = "data"
                  node {
                    listen = "127.0.0.1:0"
                    identity-key-file = "node.key"
                    certificate-file = "node.cert"
                    trusted-authorities = [{ name = "Sydney Taxi Council", public-key = "{{authority}}" }]
                    pow { base-difficulty = 4, max-extra = 4, workers = 1 }
                    lightning { starting-balance-msat = 1000000000 }
                  }
                  control.listen = "127.0.0.1:0"
                }
                """);
            _process = NodeProcessHandle.Start("control", config);
            var ready = await _process.LineAsync(l => l.Contains(" ready listen=", StringComparison.Ordinal), "its ready line");
            Url = Field(ready, "control");
            TokenFile = Field(ready, "control-token");
            Identity = Field(ready, "identity");
        }

        public async Task DisposeAsync()
        {
            if (_process is not null)
            {
                Assert.Equal(0, await _process.TerminateAsync());
                await _process.DisposeAsync();
            }
            try
            {
                Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }

        private static void Cli(params string[] args)
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            Assert.True(CliApp.Run(args, output, error) == 0, $"sgossip {string.Join(' ', args)}: {error}");
        }

        private static string Field(string line, string key) =>
            line.Split(' ').Single(part => part.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];
    }
}
