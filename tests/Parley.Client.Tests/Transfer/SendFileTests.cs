using System.Diagnostics;
using System.Security.Cryptography;
using Parley.Client.Scanning;
using Parley.Client.Transfer;
using Parley.Core.Problems;
using Parley.Core.Scanning;
using Parley.Core.Transfer;
using Parley.Testing.Scanning;

namespace Parley.Client.Tests.Transfer;

/// <summary><see cref="ParleyClient.SendFileAsync"/> against a real server: dedup tiers, partial uploads, resuming, refusals.</summary>
public sealed class SendFileTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private const int MiB = 1024 * 1024;
    private readonly TestFiles _files = new();

    [Fact]
    public async Task A_new_file_is_uploaded_whole_and_the_same_file_again_is_a_local_hit()
    {
        var (alice, bob) = (await fixture.NewUserAsync("alice"), await fixture.NewUserAsync("bob"));
        var (path, content) = _files.Picture("cat.png", 3 * MiB / 2);
        var reports = new List<TransferProgress>();

        var first = await alice.Client.SendFileAsync(path, new SendFileOptions { To = bob.Name, Progress = new Collect(reports) });
        var again = await alice.Client.SendFileAsync(path, new SendFileOptions { To = bob.Name });

        Assert.Equal((ContentId.Of(content).ToString(), (long)content.Length), (first.ContentId, first.Size));
        Assert.Equal((DedupTier.None, (long)content.Length), (first.Dedup, first.BytesUploaded));
        Assert.Equal((DedupTier.Local, 0L), (again.Dedup, again.BytesUploaded));
        Assert.Equal(new MediaDto(first.ContentId, content.Length, "image/png", "cat.png"), first.Message.Media);
        Assert.NotEqual(first.Message.Id, again.Message.Id);
        Assert.Equal(new TransferProgress(TransferPhase.Hashing, content.Length, content.Length), reports.Last(r => r.Phase == TransferPhase.Hashing));
        Assert.Equal(new TransferProgress(TransferPhase.Uploading, content.Length, content.Length), reports[^1]);
        Assert.Equal(content, await FetchAsync(bob, again.Message.Id));
    }

    [Fact]
    public async Task An_empty_file_is_of_no_media_format_and_refused_on_the_device()
    {
        var (alice, bob) = (await fixture.NewUserAsync("alice"), await fixture.NewUserAsync("bob"));
        var (path, _) = _files.Write("empty.png", []);

        var refused = await Assert.ThrowsAsync<ShareBlockedException>(() => alice.Client.SendFileAsync(path, new SendFileOptions { To = bob.Name }));

        Assert.Equal(ScanStage.Local, refused.Stage);
        Assert.Equal(ScanFindingCodes.TypeUnknown, Assert.Single(refused.Findings).Code);
    }

    [Fact]
    public async Task An_edited_file_uploads_only_the_chunks_around_the_edit()
    {
        var alice = await fixture.NewUserAsync("alice");
        var room = await ServerFixture.NewRoomAsync(alice);
        var noise = RandomNumberGenerator.GetBytes(12 * MiB);
        var (original, _) = _files.Write("photo.png", NoisePictures.Png(noise.Length, noise));
        await alice.Client.SendFileAsync(original, new SendFileOptions { Room = room });
        // 1000 pixels around the middle change, and with them the checksums at the picture's end (the IDAT chunk's
        // CRC, the zlib stream's Adler-32): the chunks around the edit and the last one are new.
        foreach (ref var b in noise.AsSpan(6 * MiB, 1000)) b ^= 1;
        var edited = NoisePictures.Png(noise.Length, noise);
        var (path, _) = _files.Write("photo-edited.png", edited);

        var sent = await alice.Client.SendFileAsync(path, new SendFileOptions { Room = room });

        Assert.Equal(DedupTier.Partial, sent.Dedup);
        Assert.InRange(sent.BytesUploaded, 1, 2 * FastCdc.MaxSize - 1);
        Assert.Equal("image/png", sent.Message.Media!.MediaType);
        Assert.Equal(edited, await FetchAsync(alice, sent.Message.Id));
    }

    [Fact]
    public async Task A_patch_cut_off_midway_is_continued_from_the_servers_offset()
    {
        var (alice, bob) = (await fixture.NewUserAsync("alice"), await fixture.NewUserAsync("bob"));
        var (path, content) = _files.Picture("notes.png", 3 * MiB);
        using var wiretap = new Wiretap(cutFirstPatchAfter: MiB);
        var client = fixture.NewClient(alice, wiretap);

        var sent = await client.SendFileAsync(path, new SendFileOptions { To = bob.Name });

        Assert.Equal((DedupTier.None, (long)content.Length), (sent.Dedup, sent.BytesUploaded));
        Assert.Contains(wiretap.Requests, r => r.Method == HttpMethod.Head);
        Assert.Equal(content, await FetchAsync(bob, sent.Message.Id));
    }

    [Fact]
    public async Task A_send_stopped_midway_continues_from_the_resume_store_in_the_next_call()
    {
        var (alice, bob) = (await fixture.NewUserAsync("alice"), await fixture.NewUserAsync("bob"));
        var (path, content) = _files.Picture("album.png", 4 * MiB);
        var store = new FileUploadResumeStore(_files.PathOf("uploads"));
        using var stop = new CancellationTokenSource();
        var options = new SendFileOptions { To = bob.Name, ResumeStore = store };
        using (var wiretap = new Wiretap(cutFirstPatchAfter: 2 * MiB, cut: () =>
               {
                   stop.Cancel();
                   return new OperationCanceledException(stop.Token);
               }))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.NewClient(alice, wiretap).SendFileAsync(path, options, stop.Token));
        var key = new UploadResumeKey(fixture.Server.BaseAddress, ContentId.Of(content).ToString(), "to:" + bob.Name);
        var remembered = store.Find(key);
        Assert.NotNull(remembered);

        var sent = await alice.Client.SendFileAsync(path, options);

        Assert.Equal(remembered.TransferId, sent.TransferId);
        Assert.InRange(sent.BytesUploaded, content.Length - 2 * MiB, content.Length - 1);
        Assert.Null(store.Find(key));
        Assert.Equal(content, await FetchAsync(bob, sent.Message.Id));
    }

    [Fact]
    public async Task A_rate_limit_holds_the_upload_to_that_rate()
    {
        var (alice, bob) = (await fixture.NewUserAsync("alice"), await fixture.NewUserAsync("bob"));
        var (path, content) = _files.Picture("slow.png", 3 * MiB / 2);
        var clock = Stopwatch.StartNew();

        var sent = await alice.Client.SendFileAsync(path, new SendFileOptions { To = bob.Name, MaxUploadBytesPerSecond = 3 * MiB });

        // 1.5 MiB at 3 MiB/s takes half a second; over loopback without a limit, a few milliseconds.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.45), $"took {clock.Elapsed}");
        Assert.Equal(content.Length, sent.BytesUploaded);
    }

    [Fact]
    public async Task Refusals_surface_with_the_servers_codes()
    {
        var (alice, bob) = (await fixture.NewUserAsync("alice"), await fixture.NewUserAsync("bob"));
        var bobsRoom = await ServerFixture.NewRoomAsync(bob);
        var (path, _) = _files.Picture("secret.png", 1000);

        await ApiAssert.Refused(403, ProblemCodes.RoomNotMember, () => alice.Client.SendFileAsync(path, new SendFileOptions { Room = bobsRoom }));
        await ApiAssert.Refused(404, ProblemCodes.UserNotFound, () => alice.Client.SendFileAsync(path, new SendFileOptions { To = "nobody-" + Guid.NewGuid().ToString("N")[..8] }));
        await Assert.ThrowsAsync<ArgumentException>(() => alice.Client.SendFileAsync(path, new SendFileOptions { Room = bobsRoom, To = bob.Name }));
    }

    [Fact]
    public async Task A_share_without_a_local_security_identifier_is_refused_by_the_server()
    {
        // No device key, so no ShareScanning: the client sends the picture as it is.
        var (alice, bob) = (await fixture.NewUserWithoutDeviceAsync("alice"), await fixture.NewUserAsync("bob"));
        var (path, _) = _files.Picture("unscanned.png", 1000);

        await ApiAssert.Refused(400, ProblemCodes.ShareIdentifierMissing, () => alice.Client.SendFileAsync(path, new SendFileOptions { To = bob.Name }));
    }

    [Fact]
    public void Media_types_are_guessed_from_the_extension()
    {
        Assert.Equal("image/jpeg", MediaTypes.FromFileName("holiday.JPG"));
        Assert.Equal("video/webm", MediaTypes.FromFileName("/tmp/clip.webm"));
        Assert.Equal("text/plain", MediaTypes.FromFileName("notes.txt"));
        Assert.Equal("audio/flac", MediaTypes.FromFileName("song.FLAC"));
        Assert.Equal(TransferRules.DefaultMediaType, MediaTypes.FromFileName("program.exe"));
        Assert.Equal(TransferRules.DefaultMediaType, MediaTypes.FromFileName("Makefile"));
    }

    private async Task<byte[]> FetchAsync(TestUser user, string mediaId)
    {
        var destination = _files.PathOf(Guid.NewGuid().ToString("N"));
        await user.Client.FetchMediaAsync(mediaId, destination);
        return await File.ReadAllBytesAsync(destination);
    }

    public void Dispose() => _files.Dispose();
}
