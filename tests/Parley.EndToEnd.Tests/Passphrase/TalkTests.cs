using System.Text;
using System.Text.Json;
using Parley.Testing.Scanning;

namespace Parley.EndToEnd.Tests.Passphrase;

/// <summary>
/// <c>parley talk</c> between two users' own installs, through a real <c>parley serve</c> process:
/// the passphrase handshake, lines both ways, files, and what the server's data folder ends up holding.
/// </summary>
public sealed class TalkTests : IDisposable
{
    private const string Passphrase = "purple monkey dishwasher";

    private readonly string _data = Path.Combine(Path.GetTempPath(), $"parley-e2e-data-{Guid.NewGuid():N}");
    private readonly string _scratch = Directory.CreateTempSubdirectory("parley-e2e-talk-").FullName;
    private readonly List<IDisposable> _cleanup = [];

    [Fact]
    public async Task Named_users_with_the_same_passphrase_talk_both_ways_and_the_server_keeps_no_plaintext()
    {
        var (server, alice, bob) = await StartAsync();
        var passphrase = PassphraseFile("shared.txt", Passphrase);
        var toBob = $"hello bob, the vault code is {Guid.NewGuid():N}";
        var toAlice = $"got it, alice {Guid.NewGuid():N}";

        var bobsTalk = Track(TalkProcess.Start(bob, server.Address, "--accept", "--passphrase-file", passphrase));
        await bobsTalk.StatusAsync("waiting for a request");
        var alicesTalk = Track(TalkProcess.Start(alice, server.Address, "--to", "bob", "--passphrase-file", passphrase));

        Assert.Equal("bob", Member(await alicesTalk.NextEventAsync("connected"), "peer"));
        Assert.Equal("alice", Member(await bobsTalk.NextEventAsync("connected"), "peer"));
        await alicesTalk.TypeAsync(toBob);
        var heardByBob = await bobsTalk.NextEventAsync("message");
        Assert.Equal(("alice", toBob), (Member(heardByBob, "from"), Member(heardByBob, "text")));
        await bobsTalk.TypeAsync(toAlice);
        var heardByAlice = await alicesTalk.NextEventAsync("message");
        Assert.Equal(("bob", toAlice), (Member(heardByAlice, "from"), Member(heardByAlice, "text")));

        alicesTalk.EndInput();
        Assert.Equal(0, await alicesTalk.ExitCodeAsync());
        Assert.Equal("alice", Member(await bobsTalk.NextEventAsync("left"), "peer"));
        Assert.Equal(0, await bobsTalk.ExitCodeAsync());

        server.Dispose();
        AssertNowhereInDataFolder(toBob, toAlice, Passphrase);
    }

    [Fact]
    public async Task A_wrong_passphrase_fails_both_sides_with_mismatch()
    {
        var (server, alice, bob) = await StartAsync();

        var bobsTalk = Track(TalkProcess.Start(bob, server.Address, "--accept", "--passphrase-file", PassphraseFile("bob.txt", "purple monkey dishwater")));
        await bobsTalk.StatusAsync("waiting for a request");
        var alicesTalk = Track(TalkProcess.Start(alice, server.Address, "--to", "bob", "--passphrase-file", PassphraseFile("alice.txt", Passphrase)));

        foreach (var talk in new[] { alicesTalk, bobsTalk })
        {
            var failed = await talk.NextEventAsync("failed");
            Assert.Equal(("passphrase.mismatch", "wrong passphrase"), (Member(failed, "code"), Member(failed, "reason")));
            Assert.Equal(1, await talk.ExitCodeAsync());
        }
    }

    [Fact]
    public async Task A_generated_code_connects_the_person_who_enters_it_and_files_arrive_decrypted()
    {
        var (server, alice, bob) = await StartAsync();
        var received = Directory.CreateDirectory(Path.Combine(_scratch, "received")).FullName;
        var file = Path.Combine(_scratch, "holiday photos.png");
        var content = NoisePictures.WritePng(file, 200_000);

        var alicesTalk = Track(TalkProcess.Start(alice, server.Address, "--generate"));
        var code = Member(await alicesTalk.NextEventAsync("code"), "code")!;
        Assert.Matches(@"^[0-9]+-[a-z]+-[a-z]+$", code);
        var bobsTalk = Track(TalkProcess.Start(bob, server.Address, "--code", code, "--save", received));

        Assert.Equal("bob", Member(await alicesTalk.NextEventAsync("connected"), "peer"));
        Assert.Equal("alice", Member(await bobsTalk.NextEventAsync("connected"), "peer"));
        await alicesTalk.TypeAsync($"/file {file}");
        await alicesTalk.TypeAsync("did the photos arrive?");
        var saved = await bobsTalk.NextEventAsync("file");
        Assert.Equal(("alice", "holiday photos.png", content.Length), (Member(saved, "from"), Member(saved, "name"), saved.GetProperty("size").GetInt32()));
        Assert.Equal(Path.Combine(received, "holiday photos.png"), Member(saved, "path"));
        Assert.Equal(content, await File.ReadAllBytesAsync(Member(saved, "path")!));
        Assert.Equal("did the photos arrive?", Member(await bobsTalk.NextEventAsync("message"), "text"));

        bobsTalk.EndInput();
        Assert.Equal(0, await bobsTalk.ExitCodeAsync());
        Assert.Equal(0, await alicesTalk.ExitCodeAsync());
        server.Dispose();
        AssertNowhereInDataFolder(content.AsSpan(1000, 4096).ToArray());
    }

    private async Task<(ServerProcess Server, CliUser Alice, CliUser Bob)> StartAsync()
    {
        var server = Track(await ServerProcess.StartAsync(FreePorts.Next(), _data));
        var alice = Track(new CliUser("alice", server.Address));
        var bob = Track(new CliUser("bob", server.Address));
        (await alice.RegisterAsync()).Succeeded();
        (await bob.RegisterAsync()).Succeeded();
        return (server, alice, bob);
    }

    private string PassphraseFile(string name, string passphrase)
    {
        var path = Path.Combine(_scratch, name);
        File.WriteAllText(path, passphrase + "\n");
        return path;
    }

    private void AssertNowhereInDataFolder(params string[] secrets) =>
        AssertNowhereInDataFolder(secrets.Select(Encoding.UTF8.GetBytes).ToArray());

    /// <summary>Every file the server wrote (database, write-ahead log, blobs), searched byte for byte.</summary>
    private void AssertNowhereInDataFolder(params byte[][] secrets)
    {
        var files = Directory.GetFiles(_data, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        foreach (var path in files)
        {
            using var stream = ServerFile.OpenIfPresent(path);
            if (stream is null) continue;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            foreach (var secret in secrets) Assert.True(bytes.AsSpan().IndexOf(secret) < 0, $"Plaintext found in {path}");
        }
    }

    private static string? Member(JsonElement element, string name) => element.GetProperty(name).GetString();

    private T Track<T>(T disposable) where T : IDisposable
    {
        _cleanup.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        foreach (var item in Enumerable.Reverse(_cleanup)) item.Dispose();
        foreach (var folder in new[] { _data, _scratch })
        {
            try { Directory.Delete(folder, recursive: true); } catch (DirectoryNotFoundException) { }
        }
    }
}
