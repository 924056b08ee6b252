using System.Security.Cryptography;
using System.Text;
using Parley.Testing.Scanning;

namespace Parley.EndToEnd.Tests.Scanning;

/// <summary>
/// <c>parley quarantines</c>, <c>release</c>, <c>verdicts</c>, and what members see of a quarantine: a file sent with
/// <c>parley send</c>, matched afterwards by a feature an operator publishes, shown live by <c>parley listen</c>,
/// refused by <c>parley fetch</c>, released by the operator.
/// </summary>
public sealed class OperatorCliTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"parley-e2e-data-{Guid.NewGuid():N}");
    private readonly string _files = Directory.CreateTempSubdirectory("parley-e2e-operator-").FullName;
    private readonly List<IDisposable> _cleanup = [];

    [Fact]
    public async Task A_sent_file_a_later_feature_matches_is_quarantined_for_members_and_released_by_the_operator()
    {
        var server = Track(await ServerProcess.StartAsync(FreePorts.Next(), _data, "--Parley:Operators:0", "operator"));
        var (op, alice, bob) = (Track(new CliUser("operator", server.Address)), Track(new CliUser("alice", server.Address)), Track(new CliUser("bob", server.Address)));
        foreach (var user in new[] { op, alice, bob }) (await user.RegisterAsync()).Succeeded();
        var room = (await alice.RunAsync("room", "create", "holiday", "--json")).Succeeded().Json().GetProperty("id").GetString()!;
        (await alice.RunAsync("room", "invite", room, "bob")).Succeeded();
        (await bob.RunAsync("room", "join", room)).Succeeded();
        using var listening = Track(bob.Start("listen", "--json"));
        await listening.WaitForStderrAsync(line => line.StartsWith("Listening", StringComparison.Ordinal));
        var bytes = MediaSamples.Png(22, 14, ("tEXt", Encoding.ASCII.GetBytes($"Comment\0{Guid.NewGuid():N}")));
        var path = Path.Combine(_files, "beach.png");
        await File.WriteAllBytesAsync(path, bytes);
        var sent = (await alice.RunAsync("send", path, "--room", room, "--json")).Succeeded().JsonLines()[^1];
        var (contentId, messageId) = (sent.GetProperty("contentId").GetString()!, sent.GetProperty("messageId").GetString()!);
        await listening.WaitForJsonAsync(line => line.GetProperty("type").GetString() == "message");
        var features = Path.Combine(_files, "found.txt");
        await File.WriteAllTextAsync(features, $"parley-features 1\nversion 1\nfeature 1 E2E.Found file-sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))}:{bytes.Length} Seen in an attack\n");

        (await op.RunAsync("features", "import", features, "--json")).Succeeded();

        var quarantined = (await listening.WaitForJsonAsync(line => line.GetProperty("type").GetString() == "mediaQuarantined")).GetProperty("data");
        Assert.Equal((contentId, room), (quarantined.GetProperty("contentId").GetString(), quarantined.GetProperty("roomId").GetString()));
        Assert.Equal(messageId, Assert.Single(quarantined.GetProperty("messageIds").EnumerateArray()).GetString());
        var refused = (await bob.RunAsync("fetch", messageId, "-o", Path.Combine(_files, "got.png"), "--json")).FailedWith("media.quarantined");
        Assert.Contains("quarantined", refused.GetProperty("detail").GetString());
        var told = await alice.RunAsync("fetch", contentId, "-o", Path.Combine(_files, "mine.png"));
        Assert.Equal(1, told.ExitCode);
        Assert.Contains("quarantined", told.StdErr);
        var listed = Assert.Single((await op.RunAsync("quarantines", "--json")).Succeeded().JsonLines());
        Assert.Equal((contentId, room), (listed.GetProperty("contentId").GetString(), Assert.Single(listed.GetProperty("roomIds").EnumerateArray()).GetString()));
        Assert.Contains("E2E.Found", (await op.RunAsync("quarantines")).Succeeded().StdOut);
        (await alice.RunAsync("quarantines", "--json")).FailedWith("scan.operator_only");
        (await alice.RunAsync("release", contentId, "--json")).FailedWith("scan.operator_only");

        (await op.RunAsync("release", contentId)).Succeeded();

        var released = (await listening.WaitForJsonAsync(line => line.GetProperty("type").GetString() == "mediaReleased")).GetProperty("data");
        Assert.Equal(contentId, released.GetProperty("contentId").GetString());
        (await bob.RunAsync("fetch", messageId, "-o", Path.Combine(_files, "again.png"))).Succeeded();
        Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(_files, "again.png")));
        Assert.Empty((await op.RunAsync("quarantines", "--json")).Succeeded().JsonLines());
        var again = await op.RunAsync("release", contentId);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("is not quarantined", again.StdErr);
    }

    [Fact]
    public async Task Verdicts_are_for_operators_except_ones_own()
    {
        var server = Track(await ServerProcess.StartAsync(FreePorts.Next(), _data, "--Parley:Operators:0", "operator"));
        var (op, alice) = (Track(new CliUser("operator", server.Address)), Track(new CliUser("alice", server.Address)));
        foreach (var user in new[] { op, alice }) (await user.RegisterAsync()).Succeeded();

        Assert.Contains("No verdicts.", (await alice.RunAsync("verdicts", "--mine")).Succeeded().StdOut);
        (await op.RunAsync("verdicts", "--json", "--content", "sha256:" + new string('a', 64))).Succeeded();
        (await alice.RunAsync("verdicts", "--json")).FailedWith("scan.operator_only");
        (await op.RunAsync("verdicts", "--limit", "0", "--json")).FailedWith("request.invalid");
        var both = await alice.RunAsync("verdicts", "--mine", "--content", "sha256:" + new string('a', 64));
        Assert.NotEqual(0, both.ExitCode);
        Assert.Contains("--mine", both.StdErr);
    }

    private T Track<T>(T disposable) where T : IDisposable
    {
        _cleanup.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        foreach (var item in _cleanup) item.Dispose();
        Directory.Delete(_files, recursive: true);
        try { Directory.Delete(_data, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
