using SweetGossip.Node.Hosting;
using SweetGossip.Node.Tests.Support;

namespace SweetGossip.Node.Tests.Hosting;

/// <summary>
/// <see cref="SecretFile"/>: owner-only from creation, replaced whole, never overwriting what another writer put
/// there first. (Unix modes: on Windows the mode checks have nothing to check.)
/// </summary>
public sealed class SecretFileTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnly | UnixFileMode.UserExecute;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string PathOf(string name) => Path.Combine(_directory.Path, name);

    [Fact]
    public void Other_users_cannot_read_a_secret_written_into_a_directory_made_for_it()
    {
        var path = PathOf("secrets/deeper/key.json");
        SecretFile.Write(path, "secret"u8);
        Assert.Equal("secret", File.ReadAllText(path));
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(PathOf("secrets")));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(PathOf("secrets/deeper")));
    }

    [Fact]
    public void A_reader_of_the_old_file_never_sees_a_half_written_replacement()
    {
        var path = PathOf("ca.json");
        SecretFile.Write(path, "old authority"u8);
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

        SecretFile.Write(path, "new authority, longer"u8);

        // A rewrite in place would have truncated what the reader holds; a rename leaves it the old file, whole.
        Assert.Equal("old authority", new StreamReader(reader).ReadToEnd());
        Assert.Equal("new authority, longer", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_directory.Path));
        if (!OperatingSystem.IsWindows()) Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
    }

    [Fact]
    public void A_world_readable_file_it_replaces_becomes_owner_only()
    {
        if (OperatingSystem.IsWindows()) return;
        var path = PathOf("key.json");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        SecretFile.Write(path, "new"u8);

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Creating_a_token_never_overwrites_the_one_already_there()
    {
        var path = PathOf("control.token");
        File.WriteAllText(path, "first");

        Assert.False(SecretFile.TryCreate(path, "second"u8));

        Assert.Equal("first", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public async Task Of_processes_creating_one_token_at_once_exactly_one_wins_and_all_see_its_token()
    {
        var path = PathOf("hub.token");
        var created = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => SecretFile.TryCreate(path, System.Text.Encoding.ASCII.GetBytes($"token {i}")))));

        var winner = Assert.Single(created.Select((won, i) => (Won: won, I: i)), c => c.Won);
        Assert.Equal($"token {winner.I}", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_directory.Path));
    }

    [Fact]
    public void An_existing_directory_is_left_as_the_operator_made_it()
    {
        if (OperatingSystem.IsWindows()) return;
        var path = PathOf("shared");
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);

        SecretFile.Write(Path.Combine(path, "key.json"), "k"u8);

        Assert.Equal(OwnerOnlyDirectory | UnixFileMode.GroupRead | UnixFileMode.GroupExecute, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Other_users_cannot_read_a_nodes_journal_of_preimages()
    {
        var data = PathOf("data");
        NodeConfig.Build(dataDirectory: data); // creates the directory and the SQLite file, and opens it once (WAL)
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (OperatingSystem.IsWindows()) return;
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(data));
        var files = Directory.GetFiles(data);
        Assert.Contains(Path.Combine(data, "journal.db"), files);
        foreach (var file in files)
            Assert.True(File.GetUnixFileMode(file) == OwnerOnly, $"{file}: {File.GetUnixFileMode(file)}");
    }
}
