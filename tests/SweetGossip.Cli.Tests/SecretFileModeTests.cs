using System.Net;
using System.Runtime.InteropServices;
using SweetGossip.LightningHub;

namespace SweetGossip.Cli.Tests;

/// <summary>
/// Every file `sgossip` writes that holds a secret is readable by its owner only as soon as it exists, and one
/// that is rewritten is replaced whole: another user on the machine cannot read a key, an authority or a token,
/// and a crash in the middle of `ca revoke` cannot leave half an authority file. Checked on the files the real
/// commands write. (Unix modes: on Windows these tests have nothing to check.)
/// </summary>
public class SecretFileModeTests : CliTestBase
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnly | UnixFileMode.UserExecute;

    [Fact]
    public void Other_users_cannot_read_a_key_file_from_keys_new()
    {
        if (OperatingSystem.IsWindows()) return;
        var key = NewKey();
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(key));
        var nested = PathOf("keys/rider.key");
        Ok("keys", "new", "--out", nested);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(nested));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(PathOf("keys")));
    }

    [Fact]
    public void Other_users_cannot_read_an_authority_file_from_ca_new()
    {
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(NewAuthority()));
    }

    [Fact]
    public void Ca_revoke_replaces_the_authority_file_whole_instead_of_rewriting_it_in_place()
    {
        if (OperatingSystem.IsWindows()) return;
        var ca = NewAuthority();
        var cert = Issue(ca, PublicKeyOf(NewKey()));
        var before = File.ReadAllText(ca);
        // A second name for the file as it was: a rewrite in place would change what it shows, a rename does not.
        var earlier = PathOf("ca-earlier.json");
        Assert.Equal(0, Link(ca, earlier));
        File.SetUnixFileMode(ca, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead); // as an older sgossip left it

        Ok("ca", "revoke", "--ca", ca, "--cert", cert, "--out", PathOf("revocations.json"));

        Assert.Equal(before, File.ReadAllText(earlier));
        Assert.Contains(Serial(cert), File.ReadAllText(ca));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(ca));
        Assert.Empty(Directory.GetFiles(Dir, "*.tmp"));
    }

    [Fact]
    public async Task Other_users_cannot_read_the_hub_token_journal_or_data_directory()
    {
        if (OperatingSystem.IsWindows()) return;
        var data = PathOf("hub-data");
        await using (var hub = await HubHost.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), data, null, _ => { }))
        {
            Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(data));
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(hub.TokenFile));
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(data, "hub.lock")));
            var files = Directory.GetFiles(data);
            Assert.Contains(Path.Combine(data, HubConfig.JournalFile), files);
            foreach (var file in files)
                Assert.True(File.GetUnixFileMode(file) == OwnerOnly, $"{file}: {File.GetUnixFileMode(file)}");
        }
    }

    private static string Serial(string certificateFile) =>
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(certificateFile)).RootElement.GetProperty("summary").GetProperty("serial").GetString()!;

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    private static extern int Link(string existing, string added);
}
