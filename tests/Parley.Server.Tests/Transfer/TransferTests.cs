using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Messaging;
using Parley.Core.Problems;
using Parley.Core.Realtime;
using Parley.Core.Transfer;
using Parley.Testing;
using static Parley.Server.Tests.Transfer.TransferDriver;

namespace Parley.Server.Tests.Transfer;

public sealed class TransferTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Api _api = fixture.Api;

    [Fact]
    public async Task New_content_is_uploaded_verified_and_delivered_to_the_room_live()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var room = await _api.NewRoom(alice, bob);
        await using var bobLive = await _api.ConnectLive(bob);
        var inbox = Channel.CreateUnbounded<MessageDto>();
        bobLive.On<MessageDto>(LiveEvents.Message, m => inbox.Writer.TryWrite(m));
        var content = RandomPicture(300_000);

        var announced = await CreateAndProve(alice, Announce(content, room: room.Id), content);
        Assert.Equal((TransferState.Upload, DedupTier.None, (long)content.Length), (announced.State, announced.Dedup, announced.Upload!.Length));
        var location = await StartUpload(alice, announced.Id, content.Length);
        Assert.Equal(HttpStatusCode.NoContent, (await Patch(alice, location, 0, content)).StatusCode);

        var delivered = await Api.Read<TransferDto>(await alice.Http.GetAsync($"/api/transfers/{announced.Id}"));
        Assert.Equal(TransferState.Delivered, delivered.State);
        var live = await inbox.Reader.ReadAsync().AsTask().Within();
        Assert.Equal(delivered.Message!.Id, live.Id);
        Assert.Equal(new MediaDto(ContentId.Of(content).ToString(), content.Length, "image/png", "picture.png"), live.Media);
        Assert.Equal(content, await bob.Http.GetByteArrayAsync($"/api/media/{live.Id}"));
    }

    [Fact]
    public async Task Known_content_is_delivered_without_upload_after_proof_of_ownership()
    {
        var alice = await _api.NewUser("alice");
        var carol = await _api.NewUser("carol");
        var bob = await _api.NewUser("bob");
        var content = RandomPicture(500_000);
        await Send(alice, content, to: carol.Name);
        using var received = Meters.Collect(fixture.Server, "Parley.Transfer", "parley.transfer.received");

        var announced = await Create(bob, Announce(content, to: alice.Name));
        Assert.Equal((TransferState.Prove, null), (announced.State, announced.Dedup));
        Assert.Null(announced.Upload);
        var delivered = await Api.Read<TransferDto>(await Prove(bob, announced, await Proof(announced, content)));

        Assert.Equal((TransferState.Delivered, DedupTier.Local), (delivered.State, delivered.Dedup));
        Assert.Equal(content, await alice.Http.GetByteArrayAsync($"/api/media/{delivered.Message!.Id}"));
        Assert.Equal(0, received.Sum());
    }

    [Fact]
    public async Task Knowing_the_hash_is_not_enough_to_get_content_delivered()
    {
        var alice = await _api.NewUser("alice");
        var mallory = await _api.NewUser("mallory");
        var victimRoom = await _api.NewRoom(mallory);
        var content = RandomPicture(200_000);
        await Send(alice, content, room: (await _api.NewRoom(alice)).Id);

        var announced = await Create(mallory, Announce(content, room: victimRoom.Id));
        var guessed = await Proof(announced, new byte[content.Length]);
        var answer = await Api.Read<TransferDto>(await Prove(mallory, announced, guessed));

        // A wrong proof is answered like content nobody has: upload all of it.
        Assert.Equal((TransferState.Upload, DedupTier.None, (long)content.Length), (answer.State, answer.Dedup, answer.Upload!.Length));
        // One attempt per challenge: even the right answer is refused now.
        await Api.AssertProblem(await Prove(mallory, announced, await Proof(announced, content)), HttpStatusCode.Conflict, ProblemCodes.TransferWrongState);
        Assert.Empty((await Api.Read<MessagePage>(await mallory.Http.GetAsync($"/api/rooms/{victimRoom.Id}/messages"))).Messages);
        await Api.AssertProblem(await mallory.Http.GetAsync($"/api/media/{ContentId.Of(content)}"), HttpStatusCode.NotFound, ProblemCodes.MediaNotFound);
    }

    [Fact]
    public async Task Bytes_that_do_not_match_the_content_id_are_refused_and_nothing_is_stored()
    {
        var alice = await _api.NewUser();
        var room = await _api.NewRoom(alice);
        var announcedContent = RandomPicture(100_000);
        var otherBytes = RandomPicture(100_000);

        var announced = await CreateAndProve(alice, Announce(announcedContent, room: room.Id), announcedContent);
        var location = await StartUpload(alice, announced.Id, otherBytes.Length);
        await Api.AssertProblem(await Patch(alice, location, 0, otherBytes), HttpStatusCode.UnprocessableEntity, ProblemCodes.TransferHashMismatch);

        var id = ContentId.Of(announcedContent).ToString();
        var otherId = ContentId.Of(otherBytes).ToString();
        Assert.False(await _api.InDatabase(db => db.Blobs.AnyAsync(b => b.Id == id)));
        Assert.False(await _api.InDatabase(db => db.Chunks.AnyAsync(c => c.Id == otherId)));
        Assert.Empty((await Api.Read<MessagePage>(await alice.Http.GetAsync($"/api/rooms/{room.Id}/messages"))).Messages);
        // This upload's file only: other tests of the class may leave their own partial uploads.
        Assert.False(File.Exists(Path.Combine(fixture.Server.DataDirectory, "uploads", location.TrimEnd('/').Split('/')[^1])));
    }

    [Fact]
    public async Task A_tampered_chunk_in_a_manifest_upload_is_refused()
    {
        var alice = await _api.NewUser();
        var room = await _api.NewRoom(alice);
        var content = RandomPicture(3 * 1024 * 1024);
        var request = Announce(content, room: room.Id, withManifest: true);

        var announced = await CreateAndProve(alice, request, content);
        var bytes = UploadBytes(announced, content, request);
        bytes[bytes.Length / 2] ^= 1;
        var location = await StartUpload(alice, announced.Id, bytes.Length);

        await Api.AssertProblem(await Patch(alice, location, 0, bytes), HttpStatusCode.UnprocessableEntity, ProblemCodes.TransferHashMismatch);
        Assert.False(await _api.InDatabase(db => db.Blobs.AnyAsync(b => b.Id == request.ContentId)));
    }

    [Fact]
    public async Task A_slightly_edited_file_uploads_only_the_changed_chunks()
    {
        var alice = await _api.NewUser();
        var room = await _api.NewRoom(alice);
        var (original, edited) = PictureAndEdit(12 * 1024 * 1024, seed: 7, edit: 6 * 1024 * 1024);
        await Send(alice, original, room: room.Id, withManifest: true);

        var request = Announce(edited, room: room.Id, withManifest: true);
        var announced = await CreateAndProve(alice, request, edited);
        Assert.Equal((TransferState.Upload, DedupTier.Partial), (announced.State, announced.Dedup));
        Assert.InRange(announced.Upload!.Length, 1, 2 * FastCdc.MaxSize);

        var bytes = UploadBytes(announced, edited, request);
        var location = await StartUpload(alice, announced.Id, bytes.Length);
        // The last PATCH answers like any other; the proof given before the upload is checked over the assembled bytes.
        Assert.Equal(HttpStatusCode.NoContent, (await Patch(alice, location, 0, bytes)).StatusCode);
        var delivered = await Api.Read<TransferDto>(await alice.Http.GetAsync($"/api/transfers/{announced.Id}"));

        Assert.Equal(TransferState.Delivered, delivered.State);
        Assert.Equal(edited, await alice.Http.GetByteArrayAsync($"/api/media/{delivered.Message!.Id}"));
    }

    [Fact]
    public async Task An_interrupted_upload_resumes_from_the_servers_offset()
    {
        var alice = await _api.NewUser();
        var room = await _api.NewRoom(alice);
        var content = RandomPicture(400_000);
        var announced = await CreateAndProve(alice, Announce(content, room: room.Id), content);
        var location = await StartUpload(alice, announced.Id, content.Length);

        Assert.Equal(HttpStatusCode.NoContent, (await Patch(alice, location, 0, content[..150_000])).StatusCode);
        var offset = await Offset(alice, location);
        Assert.Equal(150_000, offset);
        await Api.AssertProblem(await Patch(alice, location, 0, content), HttpStatusCode.Conflict, ProblemCodes.UploadOffsetMismatch);
        Assert.Equal(HttpStatusCode.NoContent, (await Patch(alice, location, offset, content[(int)offset..])).StatusCode);

        Assert.Equal(TransferState.Delivered, (await Api.Read<TransferDto>(await alice.Http.GetAsync($"/api/transfers/{announced.Id}"))).State);
    }

    [Fact]
    public async Task Tus_checksums_are_verified_and_a_bad_patch_is_discarded()
    {
        var alice = await _api.NewUser();
        var room = await _api.NewRoom(alice);
        var content = RandomPicture(200_000);
        var announced = await CreateAndProve(alice, Announce(content, room: room.Id), content);
        var location = await StartUpload(alice, announced.Id, content.Length);
        var first = content[..100_000];

        await Api.AssertProblem(await Patch(alice, location, 0, first, Sha1(content[..99_999])), (HttpStatusCode)460, ProblemCodes.UploadChecksumMismatch);
        Assert.Equal(0, await Offset(alice, location));
        Assert.Equal(HttpStatusCode.NoContent, (await Patch(alice, location, 0, first, Sha1(first))).StatusCode);
        Assert.Equal(100_000, await Offset(alice, location));
        await Api.AssertProblem(await Patch(alice, location, 100_000, content[100_000..], "md5 AAAA"), HttpStatusCode.BadRequest, ProblemCodes.RequestInvalid);
    }

    [Fact]
    public async Task Tus_refuses_what_the_protocol_forbids()
    {
        var alice = await _api.NewUser();
        var mallory = await _api.NewUser("mallory");
        var room = await _api.NewRoom(alice);
        var content = RandomPicture(1000);
        var announced = await CreateAndProve(alice, Announce(content, room: room.Id), content);

        var noVersion = new HttpRequestMessage(HttpMethod.Post, "/api/uploads");
        await Api.AssertProblem(await alice.Http.SendAsync(noVersion), HttpStatusCode.PreconditionFailed, ProblemCodes.TusVersionUnsupported);
        await Api.AssertProblem(await CreateUpload(alice, announced.Id, 999), HttpStatusCode.BadRequest, ProblemCodes.UploadLengthMismatch);
        await Api.AssertProblem(await CreateUpload(mallory, announced.Id, 1000), HttpStatusCode.NotFound, ProblemCodes.TransferNotFound);
        var location = await StartUpload(alice, announced.Id, 1000);
        await Api.AssertProblem(await CreateUpload(alice, announced.Id, 1000), HttpStatusCode.Conflict, ProblemCodes.UploadExists);
        await Api.AssertProblem(await Patch(mallory, location, 0, content), HttpStatusCode.NotFound, ProblemCodes.UploadNotFound);
        await Api.AssertProblem(await Patch(alice, location, 0, [.. content, 1, 2, 3]), HttpStatusCode.RequestEntityTooLarge, ProblemCodes.UploadTooLong);
        var wrongType = Tus(HttpMethod.Patch, location);
        wrongType.Headers.Add("Upload-Offset", "0");
        wrongType.Content = new ByteArrayContent(content);
        wrongType.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await Api.AssertProblem(await alice.Http.SendAsync(wrongType), HttpStatusCode.UnsupportedMediaType, ProblemCodes.RequestUnsupportedMediaType);
        Assert.Equal(0, await Offset(alice, location));
    }

    /// <summary>Issue 14, defect 7: simultaneous creations answered 500 (a unique key) and left empty upload files.</summary>
    [Fact]
    public async Task Simultaneous_upload_creations_make_exactly_one_upload_and_no_stray_files()
    {
        var alice = await _api.NewUser();
        var content = RandomPicture(5000);
        var announced = await CreateAndProve(alice, Announce(content, room: (await _api.NewRoom(alice)).Id), content);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => CreateUpload(alice, announced.Id, content.Length)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
            await Api.AssertProblem(refused, HttpStatusCode.Conflict, ProblemCodes.UploadExists);
        Assert.Equal(1, await _api.InDatabase(db => db.Uploads.CountAsync(u => u.TransferId == announced.Id)));
        // Every upload file belongs to an upload: the refused creations left none behind.
        var uploads = await _api.InDatabase(db => db.Uploads.Select(u => u.Id).ToListAsync());
        Assert.All(Directory.GetFiles(Path.Combine(fixture.Server.DataDirectory, "uploads")), file => Assert.Contains(Path.GetFileName(file), uploads));
    }

    /// <summary>
    /// Uploads that finish at once store their chunk rows in one transaction each: the same new content twice (one
    /// blob, the second one's rows rolled back) and an edited copy sharing most chunks (in id order, so on PostgreSQL
    /// neither waits on the other in a cycle). Every sender gets the bytes delivered.
    /// </summary>
    [Fact]
    public async Task Uploads_finishing_at_once_with_the_same_and_shared_chunks_are_all_delivered_and_stored_once()
    {
        var (original, edited) = PictureAndEdit(6 * 1024 * 1024, seed: 21, edit: ^1000);
        var senders = new List<(TestUser User, byte[] Content, TransferDto Transfer, string Location)>();
        foreach (var content in new[] { original, original, edited })
        {
            var user = await _api.NewUser();
            var transfer = await CreateAndProve(user, Announce(content, room: (await _api.NewRoom(user)).Id), content);
            Assert.Equal(TransferState.Upload, transfer.State);
            senders.Add((user, content, transfer, await StartUpload(user, transfer.Id, content.Length)));
        }

        var answers = await Task.WhenAll(senders.Select(s => Patch(s.User, s.Location, 0, s.Content)));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode));
        foreach (var (user, content, transfer, _) in senders)
        {
            var delivered = await Api.Read<TransferDto>(await user.Http.GetAsync($"/api/transfers/{transfer.Id}"));
            Assert.Equal(content, await user.Http.GetByteArrayAsync($"/api/media/{delivered.Message!.Id}"));
        }
        var ids = new[] { original, edited }.Select(c => ContentId.Of(c).ToString()).ToList();
        Assert.Equal(2, await _api.InDatabase(db => db.Blobs.CountAsync(b => ids.Contains(b.Id))));
        var rows = await _api.InDatabase(db => db.BlobChunks.Where(c => ids.Contains(c.BlobId)).Select(c => c.ChunkId).Distinct().ToListAsync());
        Assert.Equal(rows.Count, await _api.InDatabase(db => db.Chunks.CountAsync(c => rows.Contains(c.Id))));
    }

    /// <summary>Issue 14, defect 7: a DELETE while a PATCH was writing made the PATCH answer 500.</summary>
    [Fact]
    public async Task Deleting_an_upload_while_a_patch_is_writing_ends_the_patch_with_not_found()
    {
        var alice = await _api.NewUser();
        var content = RandomPicture(200_000);
        var announced = await CreateAndProve(alice, Announce(content, room: (await _api.NewRoom(alice)).Id), content);
        var location = await StartUpload(alice, announced.Id, content.Length);
        var body = new HeldBody(content[..100_000], content[100_000..]);

        var patch = Tus(HttpMethod.Patch, location);
        patch.Headers.Add("Upload-Offset", "0");
        patch.Content = body;
        patch.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        var patching = alice.Http.SendAsync(patch);
        await body.FirstPartSent.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.SendAsync(Tus(HttpMethod.Delete, location))).StatusCode);
        body.Release();

        await Api.AssertProblem(await patching, HttpStatusCode.NotFound, ProblemCodes.UploadNotFound);
        var state = await Api.Read<TransferDto>(await alice.Http.GetAsync($"/api/transfers/{announced.Id}"));
        Assert.Equal((TransferState.Failed, ProblemCodes.TransferCancelled), (state.State, state.Failure));
        Assert.False(File.Exists(Path.Combine(fixture.Server.DataDirectory, "uploads", location.Split('/')[^1])));
    }

    /// <summary>A request body sent in two parts, the second only when the test says so.</summary>
    private sealed class HeldBody(byte[] first, byte[] second) : HttpContent
    {
        private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task FirstPartSent => _sent.Task;
        public void Release() => _released.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(first);
            await stream.FlushAsync();
            _sent.TrySetResult();
            await _released.Task;
            await stream.WriteAsync(second);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = first.Length + second.Length;
            return true;
        }
    }

    [Fact]
    public async Task Options_advertises_the_tus_extensions()
    {
        var response = await fixture.Server.CreateHttpClient().SendAsync(new HttpRequestMessage(HttpMethod.Options, "/api/uploads"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("1.0.0", response.Headers.GetValues("Tus-Version").Single());
        Assert.Equal("creation,checksum,termination", response.Headers.GetValues("Tus-Extension").Single());
        Assert.Contains("sha1", response.Headers.GetValues("Tus-Checksum-Algorithm").Single());
    }

    [Fact]
    public async Task Terminating_an_upload_cancels_the_transfer()
    {
        var alice = await _api.NewUser();
        var room = await _api.NewRoom(alice);
        var content = RandomPicture(10_000);
        var announced = await CreateAndProve(alice, Announce(content, room: room.Id), content);
        var location = await StartUpload(alice, announced.Id, content.Length);
        await Patch(alice, location, 0, content[..5000]);

        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.SendAsync(Tus(HttpMethod.Delete, location))).StatusCode);

        var state = await Api.Read<TransferDto>(await alice.Http.GetAsync($"/api/transfers/{announced.Id}"));
        Assert.Equal((TransferState.Failed, ProblemCodes.TransferCancelled), (state.State, state.Failure));
        Assert.Equal(HttpStatusCode.NotFound, (await alice.Http.SendAsync(Tus(HttpMethod.Head, location))).StatusCode); // HEAD: status only
        await Api.AssertProblem(await Patch(alice, location, 5000, content[5000..]), HttpStatusCode.NotFound, ProblemCodes.UploadNotFound);
    }

    [Fact]
    public async Task Media_is_served_only_to_the_rooms_it_was_sent_to_with_ranges()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var mallory = await _api.NewUser("mallory");
        var content = RandomPicture(50_000);
        var delivered = await Send(alice, content, to: bob.Name);
        var contentId = ContentId.Of(content).ToString();

        await Api.AssertProblem(await mallory.Http.GetAsync($"/api/media/{delivered.Message!.Id}"), HttpStatusCode.NotFound, ProblemCodes.MediaNotFound);
        await Api.AssertProblem(await mallory.Http.GetAsync($"/api/media/{contentId}"), HttpStatusCode.NotFound, ProblemCodes.MediaNotFound);
        Assert.Equal(content, await bob.Http.GetByteArrayAsync($"/api/media/{contentId}"));

        var ranged = new HttpRequestMessage(HttpMethod.Get, $"/api/media/{delivered.Message.Id}");
        ranged.Headers.Range = new RangeHeaderValue(40_000, null);
        var rest = await bob.Http.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
        Assert.Equal(content[40_000..], await rest.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", rest.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal($"\"{contentId}\"", rest.Headers.ETag!.Tag);
    }

    /// <summary>Issue 14, defect 9: HEAD answered 405.</summary>
    [Fact]
    public async Task Head_on_media_answers_like_get_without_a_body()
    {
        var alice = await _api.NewUser();
        var content = RandomPicture(30_000);
        var delivered = await Send(alice, content, room: (await _api.NewRoom(alice)).Id);

        var head = await alice.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/media/{delivered.Message!.Id}"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(content.Length, head.Content.Headers.ContentLength);
        Assert.Equal($"\"{ContentId.Of(content)}\"", head.Headers.ETag!.Tag);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Bad_transfer_requests_are_refused()
    {
        var alice = await _api.NewUser();
        var outsiderRoom = await _api.NewRoom(await _api.NewUser());
        var room = await _api.NewRoom(alice);
        var content = RandomPicture(2000);
        var valid = Announce(content, room: room.Id);

        await Api.AssertProblem(await TransferDriver.Post(alice, valid with { ContentId = "sha256:1234" }), HttpStatusCode.BadRequest, ProblemCodes.TransferInvalidContentId);
        await Api.AssertProblem(await TransferDriver.Post(alice, valid with { Room = null }), HttpStatusCode.BadRequest, ProblemCodes.TransferNoTarget);
        await Api.AssertProblem(await TransferDriver.Post(alice, valid with { To = "bob" }), HttpStatusCode.BadRequest, ProblemCodes.TransferNoTarget);
        await Api.AssertProblem(await TransferDriver.Post(alice, valid with { Room = outsiderRoom.Id }), HttpStatusCode.Forbidden, ProblemCodes.RoomNotMember);
        await Api.AssertProblem(await TransferDriver.Post(alice, valid with { Size = -1 }), HttpStatusCode.BadRequest, ProblemCodes.RequestInvalid);
        await Api.AssertProblem(await TransferDriver.Post(alice, valid with { Size = long.MaxValue }), HttpStatusCode.RequestEntityTooLarge, ProblemCodes.TransferTooLarge);
        await Api.AssertProblem(await TransferDriver.Post(alice, valid with { Chunks = [new ChunkDto(valid.ContentId, 1999)] }), HttpStatusCode.BadRequest, ProblemCodes.TransferInvalidManifest);
        await Api.AssertProblem(await alice.Http.GetAsync("/api/transfers/t_nothing"), HttpStatusCode.NotFound, ProblemCodes.TransferNotFound);
        Assert.Equal(0, await _api.InDatabase(db => db.Transfers.CountAsync(t => t.RoomId == room.Id)));
    }

    [Fact]
    public async Task The_manifest_of_a_large_file_fits_the_transfer_request()
    {
        var alice = await _api.NewUser();
        var room = await _api.NewRoom(alice);
        // 4,000 chunks of 256 KiB: a 1000 MiB file, whose manifest is ~400 KB of JSON, well over the API's usual body limit.
        var chunks = Enumerable.Range(0, 4000).Select(i => new ChunkDto(ContentId.Of(BitConverter.GetBytes(i)).ToString(), FastCdc.MinSize)).ToList();
        var request = new CreateTransferRequest(ContentId.Of([1]).ToString(), 4000L * FastCdc.MinSize, room.Id, Chunks: chunks);

        var planned = await Api.Read<TransferDto>(await Prove(alice, await Create(alice, request), Convert.ToBase64String(new byte[32])));

        Assert.Equal((TransferState.Upload, 4000), (planned.State, planned.Upload!.MissingChunks!.Count));
    }

    [Fact]
    public async Task Metrics_report_bytes_received_saved_and_hits_per_tier()
    {
        using var received = Meters.Collect(fixture.Server, "Parley.Transfer", "parley.transfer.received");
        using var saved = Meters.Collect(fixture.Server, "Parley.Transfer", "parley.transfer.dedup.saved");
        using var deliveries = Meters.Collect(fixture.Server, "Parley.Transfer", "parley.transfer.deliveries");
        var alice = await _api.NewUser();
        var content = RandomPicture(80_000);

        await Send(alice, content, room: (await _api.NewRoom(alice)).Id);
        await Send(alice, content, room: (await _api.NewRoom(alice)).Id);

        Assert.Equal((1, 1, 2), (deliveries.Sum("tier", "none"), deliveries.Sum("tier", "local"), deliveries.Sum()));
        Assert.Equal((content.Length, content.Length), (received.Sum(), saved.Sum()));
        // The same figures reach the Prometheus scrape under the names docs/operations.md lists.
        var metrics = await fixture.Server.CreateHttpClient().GetStringAsync("/metrics");
        Assert.Matches(@"(?m)^parley_transfer_deliveries_total\{[^}]*tier=""local""[^}]*\} [1-9]", metrics);
        Assert.Matches(@"(?m)^parley_transfer_dedup_saved_bytes_total(\{[^}]*\})? [1-9]\d{4,}", metrics);
        Assert.Matches(@"(?m)^parley_transfer_received_bytes_total(\{[^}]*\})? [1-9]\d{4,}", metrics);
    }
}
