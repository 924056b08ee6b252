using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Problems;
using Parley.Core.Scanning;
using Parley.Testing.Scanning;
using static Parley.Server.Tests.Scanning.QuarantineDriver;

namespace Parley.Server.Tests.Scanning;

/// <summary>Retroactive quarantine through the API: a published feature quarantines media already delivered; an operator releases it.</summary>
public sealed class QuarantineTests(LibraryFixture fixture) : IClassFixture<LibraryFixture>
{
    private readonly Api _api = fixture.Api;

    [Fact]
    public async Task Publishing_derived_features_quarantines_stored_media_carrying_the_payload_and_tells_its_rooms_only()
    {
        var (alice, bob, carol) = (await _api.NewUser(), await _api.NewUser(), await _api.NewUser());
        var room = await _api.NewRoom(alice, bob);
        var payload = NewPayload();
        byte[] carrier = [.. MediaSamples.Png(20, 20), .. payload];
        // Another carrier format, with bytes after the payload: only the byte pattern can match it.
        byte[] otherCarrier = [.. MediaSamples.Jpeg(), .. payload, .. "more"u8];
        byte[] unrelated = [.. MediaSamples.Png(21, 21), .. NewPayload()];
        var shared = await Delivered(_api, alice, room.Id, carrier);
        var sharedAgain = await Delivered(_api, bob, room.Id, otherCarrier);
        var clean = await Delivered(_api, alice, room.Id, unrelated);
        await using var bobLive = await Listen(_api, bob);
        await using var carolLive = await Listen(_api, carol);
        var features = Derived(payload);

        // Nothing calls the sweeper: publishing on this node wakes it.
        var version = await Publish(fixture.Operator, features);

        var told = await bobLive.NextQuarantine(shared.Media!.ContentId);
        Assert.Equal(room.Id, told.RoomId);
        Assert.Equal([shared.Id], told.MessageIds);
        Assert.All(features, f => Assert.Contains(told.Reasons, r => r.Code == ScanFindingCodes.FeatureMatch && r.Detail.Contains(f.Name)));
        var toldAgain = await bobLive.NextQuarantine(sharedAgain.Media!.ContentId);
        Assert.Equal([sharedAgain.Id], toldAgain.MessageIds);
        Assert.Contains(features[1].Name, Assert.Single(toldAgain.Reasons).Detail);
        Assert.False(carolLive.Quarantined.Reader.TryRead(out _), "Someone outside the room heard of its media.");

        await AssertQuarantined(alice, shared); // the sender too
        await AssertQuarantined(bob, shared);
        await AssertQuarantined(alice, sharedAgain);
        await AssertServed(bob, clean, unrelated);
        var listed = await Api.Read<List<QuarantineDto>>(await fixture.Operator.Http.GetAsync("/api/scanning/quarantines"));
        var entry = Assert.Single(listed, q => q.ContentId == shared.Media.ContentId);
        Assert.Equal(version, entry.LibraryVersion);
        Assert.Equal([room.Id], entry.RoomIds);
        Assert.DoesNotContain(listed, q => q.ContentId == clean.Media!.ContentId);
    }

    [Fact]
    public async Task A_release_serves_the_media_again_and_holds_for_that_version_but_not_for_a_later_match()
    {
        var (alice, bob) = (await _api.NewUser(), await _api.NewUser());
        var room = await _api.NewRoom(alice, bob);
        var payload = NewPayload();
        byte[] carrier = [.. MediaSamples.Png(), .. payload];
        var shared = await Delivered(_api, alice, room.Id, carrier);
        var contentId = shared.Media!.ContentId;
        await using var bobLive = await Listen(_api, bob);
        var (hash, pattern) = (Derived(payload)[0], Derived(payload)[1]);
        var version = await Publish(fixture.Operator, [hash]);
        await bobLive.NextQuarantine(contentId);

        var release = await fixture.Operator.Http.PostAsync($"/api/scanning/quarantines/{contentId}/release", null);

        Assert.Equal(HttpStatusCode.NoContent, release.StatusCode);
        var released = await bobLive.Released.Reader.ReadAsync().AsTask().Within();
        Assert.Equal((contentId, room.Id), (released.ContentId, released.RoomId));
        Assert.Equal([shared.Id], released.MessageIds);
        await AssertServed(bob, shared, carrier);
        var quarantines = await Api.Read<List<QuarantineDto>>(await fixture.Operator.Http.GetAsync("/api/scanning/quarantines"));
        Assert.DoesNotContain(quarantines, q => q.ContentId == contentId);

        // The same version rescanned again (say, by a node that ran it late) leaves the released media alone.
        await _api.InDatabase(db => db.FeatureLibraryVersions.Where(v => v.Version == version).ExecuteUpdateAsync(set => set
            .SetProperty(v => v.RescannedAt, (DateTimeOffset?)null).SetProperty(v => v.RescanClaimedAt, (DateTimeOffset?)null)));
        Assert.Contains(version, await SweepOnce(_api));
        await AssertServed(bob, shared, carrier);

        // A feature of a later version is news the operator has not seen: quarantined again.
        await Publish(fixture.Operator, [pattern]);
        await bobLive.NextQuarantine(contentId);
        await AssertQuarantined(bob, shared);
    }

    [Fact]
    public async Task Releasing_what_is_not_quarantined_is_not_found_and_only_operators_release()
    {
        var (alice, bob) = (await _api.NewUser(), await _api.NewUser());
        var room = await _api.NewRoom(alice, bob);
        var payload = NewPayload();
        var shared = await Delivered(_api, alice, room.Id, [.. MediaSamples.Png(), .. payload]);
        await using var bobLive = await Listen(_api, bob);
        await Publish(fixture.Operator, Derived(payload));
        await bobLive.NextQuarantine(shared.Media!.ContentId);

        await Api.AssertProblem(await alice.Http.PostAsync($"/api/scanning/quarantines/{shared.Media.ContentId}/release", null),
            HttpStatusCode.Forbidden, ProblemCodes.ScanOperatorOnly);
        await AssertQuarantined(alice, shared);
        await Api.AssertProblem(await fixture.Operator.Http.PostAsync($"/api/scanning/quarantines/{Core.Transfer.ContentId.Of("never shared"u8.ToArray())}/release", null),
            HttpStatusCode.NotFound, ProblemCodes.ScanNotQuarantined);
        await Api.AssertProblem(await fixture.Operator.Http.PostAsync("/api/scanning/quarantines/not-a-content-id/release", null),
            HttpStatusCode.NotFound, ProblemCodes.ScanNotQuarantined);
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Operator.Http.PostAsync($"/api/scanning/quarantines/{shared.Media.ContentId}/release", null)).StatusCode);
        await Api.AssertProblem(await fixture.Operator.Http.PostAsync($"/api/scanning/quarantines/{shared.Media.ContentId}/release", null),
            HttpStatusCode.NotFound, ProblemCodes.ScanNotQuarantined);
    }

    [Fact]
    public async Task Someone_not_in_the_room_still_gets_not_found_for_quarantined_media()
    {
        var (alice, mallory) = (await _api.NewUser(), await _api.NewUser());
        var room = await _api.NewRoom(alice);
        var payload = NewPayload();
        var shared = await Delivered(_api, alice, room.Id, [.. MediaSamples.Png(), .. payload]);
        await using var aliceLive = await Listen(_api, alice);
        await Publish(fixture.Operator, Derived(payload));
        await aliceLive.NextQuarantine(shared.Media!.ContentId);

        // A quarantine must not tell outsiders that the content exists.
        await Api.AssertProblem(await Download(mallory, shared.Media.ContentId), HttpStatusCode.NotFound, ProblemCodes.MediaNotFound);
    }
}
