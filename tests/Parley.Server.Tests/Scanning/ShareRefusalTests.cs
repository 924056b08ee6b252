using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Passphrase;
using Parley.Core.Problems;
using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;
using Parley.Core.Scanning.Identifier;
using Parley.Core.Transfer;
using Parley.Server.Scanning;
using Parley.Server.Transfer;
using Parley.Server.Storage;
using Parley.Testing.Scanning;
using static Parley.Server.Tests.Transfer.TransferDriver;

namespace Parley.Server.Tests.Scanning;

/// <summary>
/// The share path's checks at announcement (docs/scanning.md, "The share path"): every refusal of
/// <c>POST /api/transfers</c> before anything of the share is stored, and the shares that pass.
/// </summary>
public sealed class ShareRefusalTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Api _api = fixture.Api;

    private async Task<(TestUser User, string Room, byte[] Picture, CreateTransferRequest Request)> Sharer()
    {
        var user = await _api.NewUser();
        var room = await _api.NewRoom(user);
        var picture = RandomPicture(2000);
        return (user, room.Id, picture, Announce(picture, room: room.Id));
    }

    private static Task<HttpResponseMessage> PostUnsigned(HttpClient http, CreateTransferRequest request) => Api.PostJson(http, "/api/transfers", request);

    private async Task<int> TransferCount(string userId) => await _api.InDatabase(db => db.Transfers.CountAsync(t => t.UserId == userId));

    [Fact]
    public async Task A_share_with_a_valid_identifier_is_announced_and_remembers_its_library_version()
    {
        var (alice, _, _, request) = await Sharer();
        var signed = await alice.Device.Sign(request);

        var transfer = await Api.Read<TransferDto>(await PostUnsigned(alice.Http, signed), HttpStatusCode.Created);

        var row = await _api.InDatabase(db => db.Transfers.SingleAsync(t => t.Id == transfer.Id));
        Assert.Equal((false, LocalSecurityIdentifier.TryDecode(signed.ScanIdentifier, out var id) ? id.LibraryVersion : -1), (row.Sealed, row.IdentifierLibraryVersion!.Value));
        Assert.Equal(alice.Device.Id, row.DeviceId);
    }

    [Fact]
    public async Task A_share_without_an_identifier_is_refused_and_nothing_is_stored()
    {
        var (alice, _, _, request) = await Sharer();
        await Api.AssertProblem(await PostUnsigned(alice.Http, request), HttpStatusCode.BadRequest, ProblemCodes.ShareIdentifierMissing);
        await Api.AssertProblem(await PostUnsigned(alice.Http, request with { ScanIdentifier = "" }), HttpStatusCode.BadRequest, ProblemCodes.ShareIdentifierMissing);
        Assert.Equal(0, await TransferCount(alice.Id));
    }

    [Fact]
    public async Task A_malformed_identifier_is_invalid()
    {
        var (alice, _, picture, request) = await Sharer();
        var valid = await alice.Device.IdentifierFor(request.ContentId);
        string[] malformed = ["not an identifier", valid[..^1], valid + "A", "B" + valid[1..], "*" + valid[1..]];
        foreach (var text in malformed)
        {
            var detail = await Api.AssertProblem(await PostUnsigned(alice.Http, request with { ScanIdentifier = text }), HttpStatusCode.UnprocessableEntity, ProblemCodes.ShareIdentifierInvalid);
            Assert.Contains("base64url", detail);
        }
        Assert.Equal(0, await TransferCount(alice.Id));
    }

    [Fact]
    public async Task An_identifier_signed_by_another_key_is_forged()
    {
        var (alice, _, _, request) = await Sharer();
        var bob = await _api.NewUser();
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        foreach (var key in new[] { stranger, bob.Device.Key })
        {
            var forged = LocalSecurityIdentifier.Create(ContentId.Parse(request.ContentId), 0, DateTimeOffset.UtcNow,
                bytes => key.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)).Encode();
            var detail = await Api.AssertProblem(await PostUnsigned(alice.Http, request with { ScanIdentifier = forged }), HttpStatusCode.UnprocessableEntity, ProblemCodes.ShareIdentifierInvalid);
            Assert.Contains("does not verify with the device's key", detail);
        }
        // Bob's own identifier for alice's picture does not let alice share it either.
        var bobs = await bob.Device.IdentifierFor(request.ContentId);
        await Api.AssertProblem(await PostUnsigned(alice.Http, request with { ScanIdentifier = bobs }), HttpStatusCode.UnprocessableEntity, ProblemCodes.ShareIdentifierInvalid);
    }

    [Fact]
    public async Task An_identifier_for_other_bytes_is_invalid()
    {
        var (alice, _, _, request) = await Sharer();
        var other = await alice.Device.IdentifierFor(ContentId.Of(RandomPicture(2000)).ToString());

        var detail = await Api.AssertProblem(await PostUnsigned(alice.Http, request with { ScanIdentifier = other }), HttpStatusCode.UnprocessableEntity, ProblemCodes.ShareIdentifierInvalid);
        Assert.Contains("not for these bytes", detail);
    }

    [Fact]
    public async Task A_session_without_a_device_or_with_a_revoked_device_cannot_share()
    {
        var (alice, _, _, request) = await Sharer();
        var signed = await alice.Device.Sign(request);
        var deviceless = _api.Server.CreateHttpClient();
        deviceless.DefaultRequestHeaders.Authorization = new("Bearer", (await _api.SignIn(alice.Name)).Token);

        var detail = await Api.AssertProblem(await PostUnsigned(deviceless, signed), HttpStatusCode.UnprocessableEntity, ProblemCodes.ShareIdentifierInvalid);
        Assert.Contains("no device", detail);

        // Revoking a device takes it from the sessions issued for it (they reference it) and removes its key.
        await _api.InDatabase(async db =>
        {
            await db.Sessions.Where(x => x.DeviceId == alice.Device.Id).ExecuteUpdateAsync(x => x.SetProperty(y => y.DeviceId, (string?)null));
            return await db.Devices.Where(d => d.Id == alice.Device.Id).ExecuteDeleteAsync();
        });
        await Api.AssertProblem(await PostUnsigned(alice.Http, signed), HttpStatusCode.UnprocessableEntity, ProblemCodes.ShareIdentifierInvalid);
        Assert.Equal(0, await TransferCount(alice.Id));
    }

    [Fact]
    public async Task An_identifier_checked_against_an_older_library_is_stale_and_names_the_current_version()
    {
        var (alice, _, _, request) = await Sharer();
        var current = await Publish(new Feature(Api.UniqueName("Parley.Test.Stale"), "A test feature", new PatternSignature(BytePattern.Parse("0102030405060708"), PatternAnchor.Anywhere)));
        var old = await alice.Device.IdentifierFor(request.ContentId, libraryVersion: current - 1);

        var response = await PostUnsigned(alice.Http, request with { ScanIdentifier = old });
        var body = await response.Content.ReadAsStringAsync();
        await Api.AssertProblem(response, HttpStatusCode.Conflict, ProblemCodes.ShareIdentifierStale);
        Assert.Equal(current, JsonDocument.Parse(body).RootElement.GetProperty(ShareRefusalMembers.LibraryVersion).GetInt64());

        // The client syncs, checks again, signs again: the retry goes through.
        await Api.Read<TransferDto>(await PostUnsigned(alice.Http, request with { ScanIdentifier = await alice.Device.IdentifierFor(request.ContentId) }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task An_identifier_signed_too_long_ago_or_in_the_future_is_stale()
    {
        var (alice, _, _, request) = await Sharer();
        var now = DateTimeOffset.UtcNow;
        var tooOld = await alice.Device.IdentifierFor(request.ContentId, signedAt: now - TimeSpan.FromDays(1) - TimeSpan.FromMinutes(1));
        var future = await alice.Device.IdentifierFor(request.ContentId, signedAt: now + TimeSpan.FromMinutes(6));
        var skewed = await alice.Device.IdentifierFor(request.ContentId, signedAt: now + TimeSpan.FromMinutes(3));

        Assert.Contains("ago", await Api.AssertProblem(await PostUnsigned(alice.Http, request with { ScanIdentifier = tooOld }), HttpStatusCode.Conflict, ProblemCodes.ShareIdentifierStale));
        Assert.Contains("future", await Api.AssertProblem(await PostUnsigned(alice.Http, request with { ScanIdentifier = future }), HttpStatusCode.Conflict, ProblemCodes.ShareIdentifierStale));
        await Api.Read<TransferDto>(await PostUnsigned(alice.Http, request with { ScanIdentifier = skewed }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Quarantined_content_cannot_be_shared_again_until_released()
    {
        var (alice, _, _, request) = await Sharer();
        var quarantine = new Quarantine { ContentId = request.ContentId, LibraryVersion = 1, Reasons = "[]", QuarantinedAt = DateTimeOffset.UtcNow };
        await _api.InDatabase(db => { db.Quarantines.Add(quarantine); return db.SaveChangesAsync(); });

        await Api.AssertProblem(await Post(alice, request), (HttpStatusCode)451, ProblemCodes.MediaQuarantined);

        await _api.InDatabase(db => db.Quarantines.Where(q => q.ContentId == request.ContentId).ExecuteUpdateAsync(q => q.SetProperty(x => x.ReleasedAt, DateTimeOffset.UtcNow)));
        await Api.Read<TransferDto>(await Post(alice, request), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Only_a_direct_send_to_a_passphrase_peer_can_be_sealed()
    {
        var (alice, room, _, request) = await Sharer();
        var bob = await _api.NewUser();
        var sealedToRoom = request with { Sealed = true };
        var sealedToBob = request with { Room = null, To = bob.Name, Sealed = true };

        await Api.AssertProblem(await PostUnsigned(alice.Http, sealedToRoom), HttpStatusCode.UnprocessableEntity, ProblemCodes.ShareNotSealable);
        await Api.AssertProblem(await PostUnsigned(alice.Http, sealedToRoom with { ForBroadcast = true }), HttpStatusCode.UnprocessableEntity, ProblemCodes.ShareNotSealable);
        // No passphrase session between them: the server would be carrying bytes it cannot scan to anyone.
        await Api.AssertProblem(await PostUnsigned(alice.Http, sealedToBob), HttpStatusCode.UnprocessableEntity, ProblemCodes.ShareNotSealable);
        Assert.Equal(0, await TransferCount(alice.Id));
    }

    [Fact]
    public async Task A_sealed_direct_share_to_a_passphrase_peer_needs_no_identifier_is_not_scanned_and_is_stored_as_octets()
    {
        var alice = await _api.NewUser();
        var bob = await _api.NewUser();
        await Connected(bob.Id, alice.Id);
        var ciphertext = RandomNumberGenerator.GetBytes(5000); // no picture: the server must not judge it
        var request = Announce(ciphertext, to: bob.Name) with { Sealed = true };

        var sent = await CreateAndProve(alice, request, ciphertext);
        var location = await StartUpload(alice, sent.Id, ciphertext.Length);
        Assert.Equal(HttpStatusCode.NoContent, (await Patch(alice, location, 0, ciphertext)).StatusCode);

        var delivered = await Api.Read<TransferDto>(await alice.Http.GetAsync($"/api/transfers/{sent.Id}"));
        Assert.Equal(TransferState.Delivered, delivered.State);
        Assert.Equal(TransferService.SealedMediaType, delivered.Message!.Media!.MediaType);
        Assert.Equal(ciphertext, await bob.Http.GetByteArrayAsync($"/api/media/{delivered.Message.Id}"));
        Assert.False(await _api.InDatabase(db => db.ScanVerdicts.AnyAsync(v => v.ContentId == request.ContentId)));
    }

    private async Task Connected(string initiatorId, string responderId) =>
        await _api.InDatabase(db =>
        {
            db.PakeSessions.Add(new PakeSession
            {
                Id = Ids.New("p"), InitiatorId = initiatorId, ResponderId = responderId, CodeMode = false, State = PakeState.Connected,
                RequestShare = new byte[32], RequestedAt = DateTimeOffset.UtcNow,
            });
            return db.SaveChangesAsync();
        });

    private async Task<long> Publish(Feature feature)
    {
        using var scope = _api.Server.Services.CreateScope();
        var library = scope.ServiceProvider.GetRequiredService<FeatureLibraryService>();
        return (await library.PublishAsync(scope.ServiceProvider.GetRequiredService<ParleyDbContext>(), [feature], "test", CancellationToken.None)).Version;
    }
}
