using System.Net;
using Parley.Client.Scanning;
using Parley.Client.Transfer;
using Parley.Core.Problems;
using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;
using Parley.Core.Scanning.Identifier;
using Parley.Core.Transfer;
using Parley.Testing;
using Parley.Testing.Scanning;

namespace Parley.Client.Tests.Scanning;

/// <summary>
/// Every share through <see cref="ParleyClient"/> with <see cref="ParleyClient.Scanning"/> set (docs/scanning.md, "The
/// client side"): the first detection before the server hears of the content, the identifier that goes with a file
/// that passes, one retry on a stale identifier, the server's verdict, and recent shares rescanned after an update.
/// Tests named "…_by_the_server…" need the server's identifier check and second detection (branch i9-server).
/// </summary>
public sealed class ScannedSharingClientTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private static readonly byte[] Payload = "<<hidden payload: 4b1d 9e22 c0de>>"u8.ToArray();
    private readonly string _operatorName = ServerFixture.UniqueName("op");
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-scanned-").FullName;
    private readonly List<IDisposable> _owned = [];
    private RunningServer _server = null!;
    private ParleyClient _operator = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Operators:0"] = _operatorName,
            ["Parley:SignIn:PermitLimit"] = "100000",
        });
        _operator = Own(new ParleyClient(_server.BaseAddress));
        await _operator.RegisterAsync(_operatorName, Password);
        await _operator.SignInAsync(_operatorName, Password);
    }

    [Fact]
    public async Task A_malicious_file_is_refused_on_the_device_before_the_server_hears_of_it()
    {
        var recorder = Own(new ShareRecorder());
        var alice = (await DeviceUserAsync("alice", recorder)).Client;
        var bob = await DeviceUserAsync("bob");
        var path = Write("holiday.png", [.. MediaSamples.Png(), .. MediaSamples.ShellScript]);

        var refused = await Assert.ThrowsAsync<ShareBlockedException>(() => alice.SendFileAsync(path, new SendFileOptions { To = bob.Name }));

        Assert.Equal((ScanStage.Local, "holiday.png", null), (refused.Stage, refused.FileName, refused.VerdictId));
        Assert.Equal([ScanFindingCodes.DataAfterEnd, ScanFindingCodes.EmbeddedScript], refused.Findings.Select(f => f.Code).Order());
        Assert.Empty(recorder.AboutContent);
        Assert.Contains(recorder.Requests, r => r.Path == "/api/scanning/library");
    }

    [Fact]
    public async Task A_malicious_broadcast_picture_is_refused_on_the_device_and_no_ticket_is_asked_for()
    {
        var recorder = Own(new ShareRecorder());
        var alice = (await DeviceUserAsync("alice", recorder)).Client;
        var room = await alice.CreateRoomAsync(ServerFixture.UniqueName("room "));
        var path = Write("poster.png", [.. MediaSamples.Png(), .. MediaSamples.Zip()]);

        var refused = await Assert.ThrowsAsync<ShareBlockedException>(() => alice.GetTicketAsync(path, room.Id));

        Assert.Equal(ScanStage.Local, refused.Stage);
        Assert.Contains(refused.Findings, f => f.Code == ScanFindingCodes.EmbeddedArchive);
        Assert.Empty(recorder.AboutContent);
    }

    [Fact]
    public async Task A_passing_file_is_signed_against_the_servers_newest_library_and_its_identifier_verifies()
    {
        var published = await PublishAsync("Client.Sample", "bytes any 0102030405060708090a0b A test feature");
        var recorder = Own(new ShareRecorder());
        var (_, alice, key) = await DeviceUserAsync("alice", recorder);
        var room = await alice.CreateRoomAsync(ServerFixture.UniqueName("room "));
        var content = MediaSamples.Png(20, 10, ("prVt", Payload));
        var path = Write("clean.png", content);

        var sent = await alice.SendFileAsync(path, new SendFileOptions { Room = room.Id });

        var announced = Assert.Single(recorder.Announcements);
        Assert.False(announced.Sealed);
        var check = new IdentifierVerifier(TimeProvider.System, TimeSpan.FromDays(1), TimeSpan.FromMinutes(5))
            .Verify(announced.ScanIdentifier, key.PublicKeyBase64, ContentId.Of(content), published);
        Assert.True(check.IsValid, check.Detail);
        Assert.Equal(published, check.Identifier!.LibraryVersion);
        Assert.Equal(ContentId.Of(content).ToString(), sent.ContentId);
        var remembered = Assert.Single(alice.Scanning!.RecentShares!.List());
        Assert.Equal((Path.GetFullPath(path), sent.ContentId, announced.ScanIdentifier), (remembered.Path, remembered.ContentId, remembered.Identifier));
    }

    [Fact]
    public async Task A_stale_identifier_is_signed_again_after_a_sync_and_the_share_retried_once()
    {
        var recorder = Own(new ShareRecorder());
        var alice = (await DeviceUserAsync("alice", recorder)).Client;
        var bob = await DeviceUserAsync("bob");
        long published = 0;
        // The server's answer when a version is published between the client's sync and its announcement.
        recorder.Before = async request =>
        {
            if (!IsAnnouncement(request) || recorder.Announcements.Count > 1) return null;
            published = await PublishAsync("Client.Later", "bytes any 5a5a5a5a5a5a5a5a5a5a5a5a Published meanwhile");
            return ShareRecorder.Problem(HttpStatusCode.Conflict, $$"""{"status":409,"code":"share.identifier_stale","libraryVersion":{{published}}}""");
        };

        var sent = await alice.SendFileAsync(Write("cat.png", MediaSamples.Png(12, 12)), new SendFileOptions { To = bob.Name });

        Assert.Equal(2, recorder.Announcements.Count);
        Assert.Equal(published, Identifier(recorder.Announcements[1].ScanIdentifier!));
        Assert.True(Identifier(recorder.Announcements[0].ScanIdentifier!) < published);
        Assert.Equal(DedupTier.None, sent.Dedup);
    }

    [Fact]
    public async Task A_second_stale_answer_is_thrown_after_exactly_one_retry()
    {
        var recorder = Own(new ShareRecorder());
        var alice = (await DeviceUserAsync("alice", recorder)).Client;
        recorder.Before = request => Task.FromResult(IsAnnouncement(request)
            ? ShareRecorder.Problem(HttpStatusCode.Conflict, """{"status":409,"code":"share.identifier_stale","libraryVersion":99}""")
            : null);

        var bob = await DeviceUserAsync("bob");

        var refused = await Assert.ThrowsAsync<ParleyApiException>(() =>
            alice.SendFileAsync(Write("dog.png", MediaSamples.Png(8, 8)), new SendFileOptions { To = bob.Name }));

        Assert.Equal((ProblemCodes.ShareIdentifierStale, 99L), (refused.Code, refused.LibraryVersion));
        Assert.Equal(2, recorder.Announcements.Count);
    }

    [Fact]
    public async Task A_version_published_before_the_announcement_is_answered_stale_by_the_server_and_the_retry_succeeds()
    {
        var recorder = Own(new ShareRecorder());
        var alice = (await DeviceUserAsync("alice", recorder)).Client;
        var bob = await DeviceUserAsync("bob");
        long published = 0;
        recorder.Before = async request =>
        {
            if (IsAnnouncement(request) && recorder.Announcements.Count == 1)
                published = await PublishAsync("Client.Between", "bytes any 6b6b6b6b6b6b6b6b6b6b6b6b Published between sync and send");
            return null;
        };

        await alice.SendFileAsync(Write("bird.png", MediaSamples.Png(9, 9)), new SendFileOptions { To = bob.Name });

        Assert.Equal(2, recorder.Announcements.Count);
        Assert.Equal(published, Identifier(recorder.Announcements[1].ScanIdentifier!));
    }

    [Fact]
    public async Task A_file_blocked_by_the_server_after_its_upload_is_a_server_refusal_with_findings_and_verdict()
    {
        var recorder = Own(new ShareRecorder());
        var alice = (await DeviceUserAsync("alice", recorder)).Client;
        var bob = await DeviceUserAsync("bob");
        var content = MediaSamples.Png(30, 30, ("prVt", Payload));
        // Learned by the server after the announcement was accepted: only its second detection, on the complete bytes, knows.
        recorder.Before = async request =>
        {
            if (request.Method == HttpMethod.Patch && recorder.Requests.Count(r => r.Method == HttpMethod.Patch) == 1)
                await PublishDerivedAsync(Payload);
            return null;
        };

        var refused = await Assert.ThrowsAsync<ShareBlockedException>(() =>
            alice.SendFileAsync(Write("late.png", content), new SendFileOptions { To = bob.Name }));

        Assert.Equal(ScanStage.Server, refused.Stage);
        Assert.Contains(refused.Findings, f => f.Code == ScanFindingCodes.FeatureMatch);
        Assert.StartsWith("v_", refused.VerdictId);
        Assert.Empty(alice.Scanning!.RecentShares!.List());
    }

    [Fact]
    public async Task After_a_live_library_update_a_recently_shared_file_that_now_fails_is_reported_and_the_rest_re_signed()
    {
        var alice = (await DeviceUserAsync("alice")).Client;
        var room = await alice.CreateRoomAsync(ServerFixture.UniqueName("room "));
        var carrier = Write("carrier.png", MediaSamples.Png(16, 16, ("prVt", Payload)));
        var clean = Write("clean.png", MediaSamples.Png(17, 17));
        await alice.SendFileAsync(carrier, new SendFileOptions { Room = room.Id });
        await alice.SendFileAsync(clean, new SendFileOptions { Room = room.Id });
        await using var live = new ParleyLive(alice);
        var updated = new TaskCompletionSource<LibraryUpdatedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        live.LibraryUpdated += update => updated.TrySetResult(update);
        await live.StartAsync();

        var version = await PublishDerivedAsync(Payload);
        var update = await updated.Task.WaitAsync(ServerFixture.Patience);
        var rescans = await new RecentShareRescanner(alice, alice.Scanning!, alice.Scanning!.RecentShares!).OnLibraryUpdatedAsync(update);

        Assert.Equal(version, update.Version);
        var failing = Assert.Single(rescans, r => r.Outcome == RescanOutcome.Failed);
        Assert.Equal(Path.GetFullPath(carrier), failing.Share.Path);
        Assert.Contains(failing.Findings, f => f.Code == ScanFindingCodes.FeatureMatch);
        var passing = Assert.Single(rescans, r => r.Outcome == RescanOutcome.Passed);
        Assert.Equal(version, Identifier(passing.Share.Identifier));
        Assert.Equal([Path.GetFullPath(clean)], alice.Scanning.RecentShares!.List().Select(s => s.Path));
        Assert.Equal(version, alice.Scanning.Library.Load().Version);
    }

    private static long Identifier(string text) =>
        LocalSecurityIdentifier.TryDecode(text, out var identifier) ? identifier.LibraryVersion : throw new FormatException($"Not an identifier: {text}");

    private static bool IsAnnouncement(HttpRequestMessage request) =>
        request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath == "/api/transfers";

    /// <summary>A signed-in user whose device key is registered (so the token is the device's) and whose client scans every share.</summary>
    private async Task<ScanningUser> DeviceUserAsync(string prefix, HttpMessageHandler? handler = null)
    {
        var name = ServerFixture.UniqueName(prefix);
        var client = Own(new ParleyClient(_server.BaseAddress, handler: handler));
        await client.RegisterAsync(name, Password);
        var session = await client.SignInAsync(name, Password);
        var key = Own(DeviceKey.Create());
        await client.RegisterDeviceAsync(key, "test device", session.UserId);
        var home = Directory.CreateDirectory(Path.Combine(_folder, name)).FullName;
        client.Scanning = new ShareScanning(key, new LocalFeatureStore(Path.Combine(home, "library.txt")))
        {
            RecentShares = new FileRecentShareStore(Path.Combine(home, "recent.json")),
        };
        return new ScanningUser(name, client, key);
    }

    private sealed record ScanningUser(string Name, ParleyClient Client, DeviceKey Key);

    /// <summary>Publishes one feature (Parley's format) as the next version; returns the version.</summary>
    private async Task<long> PublishAsync(string name, string signatureAndReason) =>
        (await _operator.ImportFeaturesAsync("one.txt", $"parley-features 1\nversion 1\nfeature 1 {name} {signatureAndReason}\n")).Version;

    /// <summary>Publishes the features the server's feedback step derives from <paramref name="payload"/>.</summary>
    private async Task<long> PublishDerivedAsync(byte[] payload) =>
        (await _operator.ImportFeaturesAsync("derived.txt", FeatureText.Write(FeatureLibrary.Empty.With(FeatureDerivation.FromPayload(payload, "seen in a blocked picture"))))).Version;

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public async Task DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(_owned)) item.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
