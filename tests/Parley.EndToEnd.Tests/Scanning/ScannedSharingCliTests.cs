using System.Net.Http.Headers;
using System.Text.Json;
using Parley.Core.Transfer;
using Parley.Testing.Scanning;

namespace Parley.EndToEnd.Tests.Scanning;

/// <summary>
/// The whole flow with three people at their terminals (SPEC §3): a payload that the first detection cannot
/// see — the data of a PNG private ancillary chunk, valid PNG that decoders skip, and only a payload to the structural
/// checks — is caught by the server's ClamAV once clamd learns its signature; the server blocks the share, derives
/// features from the payload and pushes them; the next carrier of the same payload is refused on the device before
/// any byte leaves it, and the copy shared before the signature existed is quarantined.
/// Steps 3-5 need the server's second detection, feedback and quarantine (branches i9-server, i9-quarantine).
/// </summary>
public sealed class ScannedSharingCliTests : IAsyncLifetime
{
    /// <summary>The payload: plain bytes with no markers the embedded-content checks know (no script, archive or executable).</summary>
    private static readonly byte[] Payload = "parley e2e payload 5f0c1d2e3b4a69788796a5b4c3d2e1f0 / 0918273645"u8.ToArray();

    private readonly string _data = Path.Combine(Path.GetTempPath(), $"parley-e2e-data-{Guid.NewGuid():N}");
    private readonly string _files = Directory.CreateTempSubdirectory("parley-e2e-shared-").FullName;
    private readonly List<IDisposable> _cleanup = [];
    private ClamdServer _clamd = null!;

    // clamd refuses to start on an empty database: a signature nothing in this test carries.
    public async Task InitializeAsync() =>
        _clamd = await ClamdServer.StartAsync(new Dictionary<string, string> { ["placeholder.ndb"] = "Parley.Test.Placeholder:0:*:00ff11ee22dd33cc44bb55aa" });

    [Fact]
    public async Task A_payload_the_server_catches_is_blocked_learned_by_every_device_and_quarantined_where_it_spread()
    {
        var server = Track(await ServerProcess.StartAsync(FreePorts.Next(), _data, new Dictionary<string, string>
        {
            ["Parley__Scanning__Clamd"] = _clamd.Address,
            ["Parley__Operators__0"] = "carol",
        }));
        var (ann, bob, carol) = (await UserAsync("ann", server), await UserAsync("bob", server), await UserAsync("carol", server));
        var room = (await bob.RunAsync("room", "create", "holiday")).Succeeded().StdOut.Trim();
        foreach (var member in new[] { ann, carol })
        {
            (await bob.RunAsync("room", "invite", room, member.Name)).Succeeded();
            (await member.RunAsync("room", "join", room)).Succeeded();
        }

        // 1. Before anyone knows the payload: bob's carrier X passes both detections and reaches carol.
        var x = Write("x.png", MediaSamples.Png(20, 20, ("prVt", Payload)));
        var sentX = LastJson(await bob.RunAsync("send", x, "--room", room, "--json"), exitCode: 0);
        Assert.Equal("passed", sentX.GetProperty("verdict").GetString());
        var messageX = sentX.GetProperty("messageId").GetString()!;
        (await carol.RunAsync("fetch", messageX, "-o", Path.Combine(_files, "carol-x.png"), "--json")).Succeeded();
        var listening = bob.Start("listen", "--json");
        await listening.WaitForStderrAsync(line => line.StartsWith("Listening", StringComparison.Ordinal));

        // 2. clamd learns the payload's signature.
        await _clamd.AddSignaturesAsync("payload.ndb", $"Parley.Test.Payload:0:*:{Convert.ToHexStringLower(Payload)}", File.ReadAllBytes(x));

        // 3. ann's carrier Y passes her device (the payload is no finding there) and is blocked by the server's ClamAV.
        var y = Write("y.png", MediaSamples.Png(24, 18, ("prVt", Payload)));
        var blocked = LastJson(await ann.RunAsync("send", y, "--room", room, "--json"), exitCode: 2);
        Assert.Equal(("blocked", "server"), (blocked.GetProperty("verdict").GetString(), blocked.GetProperty("stage").GetString()));
        Assert.Contains(blocked.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "clamav.match");
        Assert.StartsWith("v_", blocked.GetProperty("verdictId").GetString());
        // The server derived features from the payload and pushed them: bob's listener applied them, and X, which bob
        // shared, now fails his device's scan.
        var update = await listening.WaitForJsonAsync(line => Type(line) == "libraryUpdated");
        Assert.True(update.GetProperty("data").GetProperty("version").GetInt64() >= 1);
        var failing = await listening.WaitForJsonAsync(line => Type(line) == "shareFailing");
        Assert.Equal(x, failing.GetProperty("data").GetProperty("path").GetString());

        // 4. bob's carrier Z is refused on his device: scanned against the copy the listener updated, and sent not at all.
        var z = Write("z.png", MediaSamples.Png(31, 7, ("prVt", Payload)));
        var scanned = LastJson(await bob.RunAsync("scan", z, "--json"), exitCode: 2);
        Assert.Contains(scanned.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "feature.match");
        var refused = LastJson(await bob.RunAsync("send", z, "--room", room, "--json"), exitCode: 2);
        Assert.Equal(("blocked", "local", JsonValueKind.Null), (refused.GetProperty("verdict").GetString(), refused.GetProperty("stage").GetString(), refused.GetProperty("verdictId").ValueKind));
        Assert.Contains(refused.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "feature.match");
        var human = await bob.RunAsync("send", z, "--room", room);
        Assert.Equal(2, human.ExitCode);
        Assert.Contains("blocked (local scan): z.png", human.StdOut);
        Assert.Contains("feature.match — ", human.StdOut);
        // No verdict for Z: its bytes never reached the server's second detection.
        Assert.Equal(0, (await VerdictsAsync(server, carol, ContentId.Of(File.ReadAllBytes(z)).ToString())).GetArrayLength());

        // 5. The copy of X carol received before the signature existed is quarantined by the sweep after the publish.
        var quarantined = await EventuallyFailsAsync(() => carol.RunAsync("fetch", messageX, "-o", Path.Combine(_files, "carol-x-again.png"), "--json"));
        Assert.Equal("media.quarantined", quarantined.GetProperty("code").GetString());
    }

    /// <summary>Fetches until the answer is a refusal, within the program's patience: the quarantine sweep runs in the background.</summary>
    private static async Task<JsonElement> EventuallyFailsAsync(Func<Task<CliRun>> fetch)
    {
        var deadline = DateTime.UtcNow + ParleyProgram.Patience;
        CliRun run;
        do run = await fetch();
        while (run.ExitCode == 0 && DateTime.UtcNow < deadline);
        Assert.True(run.ExitCode == 1, $"{run} should have been refused once the media was quarantined.");
        return run.Json().GetProperty("error");
    }

    /// <summary>An operator's view of the verdicts of one content (<c>GET /api/scanning/verdicts</c>).</summary>
    private static async Task<JsonElement> VerdictsAsync(ServerProcess server, CliUser operatorUser, string contentId)
    {
        var token = (await operatorUser.RunAsync("token")).Succeeded().StdOut.Trim();
        using var http = new HttpClient { BaseAddress = server.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var answer = await http.GetAsync($"/api/scanning/verdicts?contentId={Uri.EscapeDataString(contentId)}");
        Assert.True(answer.IsSuccessStatusCode, $"GET /api/scanning/verdicts answered {(int)answer.StatusCode}");
        return JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static JsonElement LastJson(CliRun run, int exitCode)
    {
        Assert.True(run.ExitCode == exitCode, $"{run} should have ended with exit code {exitCode}.");
        return run.JsonLines()[^1];
    }

    private static string? Type(JsonElement line) => line.TryGetProperty("type", out var type) ? type.GetString() : null;

    private async Task<CliUser> UserAsync(string name, ServerProcess server)
    {
        var user = Track(new CliUser(name, server.Address));
        (await user.RegisterAsync()).Succeeded();
        return user;
    }

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_files, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private T Track<T>(T disposable) where T : IDisposable
    {
        _cleanup.Add(disposable);
        return disposable;
    }

    public async Task DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(_cleanup)) item.Dispose();
        await _clamd.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (DirectoryNotFoundException) { }
        Directory.Delete(_files, recursive: true);
    }
}
