using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Json;
using Parley.Core.Messaging;
using Parley.Core.Problems;
using Parley.Core.Scanning;
using Parley.Server.Storage;
using Parley.Testing;
using Parley.Testing.Scanning;

namespace Parley.Client.Tests.Scanning;

/// <summary>
/// Retroactive quarantine as the .NET client sees it: a file sent the normal way, a feature an operator publishes
/// afterwards that matches it, the live events, the refused download, and the operator's views and release.
/// </summary>
public sealed class OperatorTests : IAsyncLifetime
{
    private readonly string _operatorName = ServerFixture.UniqueName("op");
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-operator-").FullName;
    private readonly List<IDisposable> _owned = [];
    private RunningServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Operators:0"] = _operatorName });

    public async Task DisposeAsync()
    {
        foreach (var item in _owned) item.Dispose();
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_file_a_later_feature_matches_is_quarantined_live_refused_to_fetch_and_released_by_an_operator()
    {
        var (op, alice, bob) = (await SignedIn(_operatorName), await SignedIn(ServerFixture.UniqueName("alice")), await SignedIn(ServerFixture.UniqueName("bob")));
        var room = await alice.CreateRoomAsync("holiday");
        await alice.InviteAsync(room.Id, (await bob.GetMeAsync()).UserName);
        await bob.JoinAsync(room.Id);
        var picture = Write("beach.png", MediaSamples.Png(24, 18, ("tEXt", Encoding.ASCII.GetBytes($"Comment\0{Guid.NewGuid():N}"))));
        var sent = await alice.SendFileAsync(picture, new Parley.Client.Transfer.SendFileOptions { Room = room.Id });
        await using var bobsLive = new ParleyLive(bob);
        var quarantined = Next<MediaQuarantinedEvent>(h => bobsLive.MediaQuarantined += h);
        var released = Next<MediaReleasedEvent>(h => bobsLive.MediaReleased += h);
        await ConnectedAsync(bobsLive, alice, room.Id);

        var bytes = await File.ReadAllBytesAsync(picture);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        await op.ImportFeaturesAsync("found.txt", $"parley-features 1\nversion 1\nfeature 1 Client.Found file-sha256 {hash}:{bytes.Length} Seen in an attack\n");

        var told = await quarantined.WaitAsync(ServerFixture.Patience);
        Assert.Equal((sent.ContentId, room.Id, sent.Message.Id), (told.ContentId, told.RoomId, Assert.Single(told.MessageIds)));
        Assert.Contains("Client.Found", Assert.Single(told.Reasons).Detail);
        var refused = await ApiAssert.Refused(451, ProblemCodes.MediaQuarantined, () => bob.FetchMediaAsync(sent.Message.Id, Path.Combine(_folder, "got.png")));
        Assert.Contains("quarantined", refused.Detail);
        await ApiAssert.Refused(451, ProblemCodes.MediaQuarantined, () => alice.FetchMediaAsync(sent.ContentId, Path.Combine(_folder, "mine.png")));
        var history = await bob.GetHistoryAsync(room.Id);
        Assert.True(Assert.Single(history.Messages, m => m.Id == sent.Message.Id).Media!.Quarantined);
        var listed = Assert.Single(await op.GetQuarantinesAsync(), q => q.ContentId == sent.ContentId);
        Assert.Equal([room.Id], listed.RoomIds);
        await ApiAssert.Refused(403, ProblemCodes.ScanOperatorOnly, () => alice.GetQuarantinesAsync());
        await ApiAssert.Refused(403, ProblemCodes.ScanOperatorOnly, () => alice.ReleaseQuarantineAsync(sent.ContentId));

        await op.ReleaseQuarantineAsync(sent.ContentId);

        var back = await released.WaitAsync(ServerFixture.Patience);
        Assert.Equal((sent.ContentId, room.Id, sent.Message.Id), (back.ContentId, back.RoomId, Assert.Single(back.MessageIds)));
        var fetched = await bob.FetchMediaAsync(sent.Message.Id, Path.Combine(_folder, "again.png"));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(fetched.Path));
        Assert.Empty(await op.GetQuarantinesAsync());
        await ApiAssert.Refused(404, ProblemCodes.ScanNotQuarantined, () => op.ReleaseQuarantineAsync(sent.ContentId));
    }

    [Fact]
    public async Task Verdicts_are_read_by_operators_and_each_user_reads_their_own()
    {
        var (op, alice, bob) = (await SignedIn(_operatorName), await SignedIn(ServerFixture.UniqueName("alice")), await SignedIn(ServerFixture.UniqueName("bob")));
        var content = Parley.Core.Transfer.ContentId.Of(Guid.NewGuid().ToByteArray()).ToString();
        var alices = await StoreVerdict(alice, content, DateTimeOffset.UtcNow, new ScanFinding(ScanFindingCodes.DataAfterEnd, "png", "Bytes after IEND."));
        var bobs = await StoreVerdict(bob, content, DateTimeOffset.UtcNow.AddSeconds(1));

        var ofContent = await op.GetScanVerdictsAsync(content);
        var mine = await alice.GetMyScanVerdictsAsync();

        Assert.Equal([bobs, alices], ofContent.Select(v => v.Id));
        Assert.Equal(ScanFindingCodes.DataAfterEnd, Assert.Single(ofContent[1].Findings).Code);
        Assert.Equal(alices, Assert.Single(mine).Id);
        Assert.Single(await op.GetScanVerdictsAsync(limit: 1));
        await ApiAssert.Refused(403, ProblemCodes.ScanOperatorOnly, () => alice.GetScanVerdictsAsync(content));
        await ApiAssert.Refused(400, ProblemCodes.RequestInvalid, () => op.GetScanVerdictsAsync(limit: 0));
        Assert.True((await op.GetScanningAccountAsync()).Operator);
        Assert.False((await alice.GetScanningAccountAsync()).Operator);
    }

    /// <summary>
    /// Starts the live connection and waits until the server delivers to it (a message in the room arrives), so that
    /// nothing published afterwards can be missed.
    /// </summary>
    private static async Task ConnectedAsync(ParleyLive live, ParleyClient sender, string roomId)
    {
        var marker = $"marker {Guid.NewGuid():N}";
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Seen(MessageDto message)
        {
            if (message.Text == marker) arrived.TrySetResult();
        }
        live.MessageReceived += Seen;
        await live.StartAsync();
        await sender.SendToRoomAsync(roomId, marker);
        await arrived.Task.WaitAsync(ServerFixture.Patience);
        live.MessageReceived -= Seen;
    }

    private static Task<T> Next<T>(Action<Action<T>> subscribe)
    {
        var next = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe(value => next.TrySetResult(value));
        return next.Task;
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private async Task<string> StoreVerdict(ParleyClient user, string contentId, DateTimeOffset at, params ScanFinding[] findings)
    {
        var userId = (await user.GetMeAsync()).UserId;
        using var scope = _server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var id = $"v_{Guid.NewGuid():N}";
        db.ScanVerdicts.Add(new ScanVerdict
        {
            Id = id, ContentId = contentId, UserId = userId, MediaType = "image/png", LibraryVersion = 1, Passed = findings.Length == 0, CreatedAt = at,
            Findings = JsonSerializer.Serialize(findings, ParleyJson.Options), Timings = "[]",
        });
        await db.SaveChangesAsync();
        return id;
    }

    private async Task<ParleyClient> SignedIn(string name)
    {
        var client = new ParleyClient(_server.BaseAddress);
        _owned.Add(client);
        await client.RegisterAsync(name, ServerFixture.Password);
        var session = await client.SignInAsync(name, ServerFixture.Password);
        _owned.Add(await client.ScanWithNewDeviceAsync(session.UserId, _folder));
        return client;
    }
}
