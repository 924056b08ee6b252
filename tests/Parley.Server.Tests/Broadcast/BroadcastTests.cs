using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Broadcast;
using Parley.Core.Messaging;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Core.Scanning;
using Parley.Server.Broadcast;
using Parley.Server.Scanning;
using static Parley.Server.Tests.Broadcast.BroadcastDriver;

namespace Parley.Server.Tests.Broadcast;

/// <summary>Both roles in one process: every branch of the broadcast role's check, and every refusal.</summary>
public sealed class BroadcastTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Api _api = fixture.Api;
    private T Service<T>() where T : notnull => fixture.Server.Services.GetRequiredService<T>();
    private Microsoft.Extensions.Diagnostics.Metrics.Testing.MetricCollector<long> TicketChecks() =>
        Meters.Collect(fixture.Server, BroadcastMetrics.Name, "parley.broadcast.ticket_checks");

    private async Task<MessagePage> History(TestUser user, string roomId) =>
        await Api.Read<MessagePage>(await user.Http.GetAsync($"/api/rooms/{roomId}/messages"));

    [Fact]
    public async Task A_valid_ticket_broadcasts_the_picture_to_the_other_members_live()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var carol = await _api.NewUser("carol");
        var room = await _api.NewRoom(alice, bob, carol);
        await using var aliceLive = await _api.ConnectLive(alice);
        await using var bobLive = await _api.ConnectLive(bob);
        var alicePictures = Pictures(aliceLive);
        var bobPictures = Pictures(bobLive);
        var picture = Picture(1);
        var ticket = await Ticket(alice, room.Id, picture);
        using var checks = TicketChecks();

        var result = await Api.Read<BroadcastResultDto>(await RequestBroadcast(alice.Http, room.Id, ticket));

        Assert.Equal(2, result.Reached);
        Assert.Equal((1, 1), (checks.Sum("branch", "stored"), checks.Sum()));
        var received = await bobPictures.Reader.ReadAsync().AsTask().Within();
        Assert.Equal((room.Id, alice.Name, ContentId.Of(picture).ToString(), "image/png", (long)picture.Length, "picture.png"),
            (received.RoomId, received.SenderName, received.ContentId, received.MediaType, received.Size, received.FileName));
        Assert.StartsWith("data:image/jpeg;base64,", received.Thumbnail);
        Assert.Equal(picture, await bob.Http.GetByteArrayAsync(received.DownloadUrl));
        // The sender gets the message in history like everyone, but no broadcast of its own picture.
        var message = Assert.Single((await History(alice, room.Id)).Messages);
        Assert.Equal(result.MessageId, message.Id);
        // History keeps the picture's name and that it came as a verified broadcast.
        Assert.Equal(("picture.png", true), (message.Media!.FileName, message.Media.Broadcast));
        Assert.False(alicePictures.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_picture_quarantined_after_its_ticket_was_issued_is_not_broadcast()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var room = await _api.NewRoom(alice, bob);
        var picture = Picture(700); // its own picture: the quarantine holds for every test of this server
        var ticket = await Ticket(alice, room.Id, picture);
        using (var scope = fixture.Server.Services.CreateScope())
            Assert.True(await scope.ServiceProvider.GetRequiredService<QuarantineService>().QuarantineAsync(
                ContentId.Of(picture).ToString(), 1, [new ScanFinding("feature.hash", "library", "a test feature")], CancellationToken.None));

        await Api.AssertProblem(await RequestBroadcast(alice.Http, room.Id, ticket), (HttpStatusCode)451, ProblemCodes.MediaQuarantined);
        Assert.Empty((await History(bob, room.Id)).Messages);
    }

    [Fact]
    public async Task Only_the_broadcast_role_marks_a_message_as_a_broadcast()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice, await _api.NewUser("bob"));

        var response = await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/messages", new SendMessageRequest("Verified, honest", "broadcast:0011"));

        await Api.AssertProblem(response, HttpStatusCode.BadRequest, ProblemCodes.RequestInvalid);
        Assert.Empty((await History(alice, room.Id)).Messages);
        // An ordinary file keeps its name and is no broadcast.
        await Transfer.TransferDriver.Send(alice, Picture(9), room: room.Id);
        var media = Assert.Single((await History(alice, room.Id)).Messages).Media!;
        Assert.Equal(("picture.png", false), (media.FileName, media.Broadcast));
    }

    [Fact]
    public async Task A_ticket_the_broadcast_role_never_received_is_fetched_from_the_upload_role()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice, await _api.NewUser("bob"));
        var ticket = await Ticket(alice, room.Id, Picture(2));
        Service<TicketStore>().Clear();
        using var checks = TicketChecks();

        var result = await Api.Read<BroadcastResultDto>(await RequestBroadcast(alice.Http, room.Id, ticket));

        Assert.Equal(1, result.Reached);
        Assert.Equal((1, 1), (checks.Sum("branch", "not_stored"), checks.Sum()));
        // The upload role's copy brought the picture's name along.
        Assert.Equal("picture.png", Assert.Single((await History(alice, room.Id)).Messages).Media!.FileName);
    }

    [Fact]
    public async Task An_older_ticket_than_the_stored_one_is_checked_again_with_the_upload_role()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice, await _api.NewUser("bob"));
        var older = await Ticket(alice, room.Id, Picture(3));
        var newer = await Ticket(alice, room.Id, Picture(4));
        using var checks = TicketChecks();

        await Api.Read<BroadcastResultDto>(await RequestBroadcast(alice.Http, room.Id, older));
        await Api.Read<BroadcastResultDto>(await RequestBroadcast(alice.Http, room.Id, newer));

        Assert.Equal((1, 2), (checks.Sum("branch", "stale"), checks.Sum()));
        Assert.Equal(2, (await History(alice, room.Id)).Messages.Count);
    }

    [Fact]
    public async Task A_correctly_signed_ticket_the_upload_role_never_issued_is_refused()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice, await _api.NewUser("bob"));
        var genuine = await Ticket(alice, room.Id, Picture(5));
        var keys = Service<TicketKeys>();
        var current = await keys.CurrentAsync(CancellationToken.None);
        TicketCodec.Decode(genuine, _ => keys.Signing.Key, _ => current, out var payload);
        // Same claims, a new ticket id: signed with the real key, so only the comparison can catch it.
        var minted = TicketCodec.Encode(payload! with { TicketId = TicketPayload.NewTicketId() }, keys.Signing, current);

        await Api.AssertProblem(await RequestBroadcast(alice.Http, room.Id, minted), HttpStatusCode.Forbidden, ProblemCodes.TicketTampered);
        Assert.Empty((await History(alice, room.Id)).Messages);
    }

    [Fact]
    public async Task An_altered_ticket_is_refused()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice);
        var ticket = await Ticket(alice, room.Id, Picture(6));
        var altered = ticket[..40] + (ticket[40] == 'A' ? 'B' : 'A') + ticket[41..];

        await Api.AssertProblem(await RequestBroadcast(alice.Http, room.Id, altered), HttpStatusCode.Forbidden, ProblemCodes.TicketTampered);
        await Api.AssertProblem(await RequestBroadcast(alice.Http, room.Id, "not-a-ticket"), HttpStatusCode.Forbidden, ProblemCodes.TicketTampered);
        Assert.Empty((await History(alice, room.Id)).Messages);
    }

    [Fact]
    public async Task A_ticket_is_used_once_even_by_concurrent_requests()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice, await _api.NewUser("bob"));
        var ticket = await Ticket(alice, room.Id, Picture(7));

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => RequestBroadcast(alice.Http, room.Id, ticket)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
            await Api.AssertProblem(refused, HttpStatusCode.Conflict, ProblemCodes.TicketReplayed);
        Assert.Single((await History(alice, room.Id)).Messages);
        await Api.AssertProblem(await RequestBroadcast(alice.Http, room.Id, ticket), HttpStatusCode.Conflict, ProblemCodes.TicketReplayed);
    }

    [Fact]
    public async Task A_ticket_is_bound_to_its_room_its_user_and_its_device()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var room = await _api.NewRoom(alice, bob);
        var otherRoom = await _api.NewRoom(alice, bob);
        var ticket = await Ticket(alice, room.Id, Picture(8));

        await Api.AssertProblem(await RequestBroadcast(alice.Http, otherRoom.Id, ticket), HttpStatusCode.Forbidden, ProblemCodes.TicketWrongRoom);
        await Api.AssertProblem(await RequestBroadcast(bob.Http, room.Id, ticket), HttpStatusCode.Forbidden, ProblemCodes.TicketWrongUser);
        // Alice on another device (another session, bound to a device key) holds a different device id.
        var laptop = fixture.Server.CreateHttpClient();
        laptop.DefaultRequestHeaders.Authorization = new("Bearer", (await _api.SignIn(alice.Name)).Token);
        await RegisterDevice(laptop, alice.Id);
        await Api.AssertProblem(await RequestBroadcast(laptop, room.Id, ticket), HttpStatusCode.Forbidden, ProblemCodes.TicketWrongUser);
        Assert.Empty((await History(alice, room.Id)).Messages);
        Assert.Empty((await History(alice, otherRoom.Id)).Messages);
    }

    private static async Task RegisterDevice(HttpClient http, string userId)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
        var proof = key.SignData(Core.Accounts.DeviceKeyRules.ProofMessage(userId, publicKey), System.Security.Cryptography.HashAlgorithmName.SHA256,
            System.Security.Cryptography.DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        Assert.Equal(HttpStatusCode.Created, (await Api.PostJson(http, "/api/devices", new Core.Accounts.RegisterDeviceRequest("laptop", publicKey, Convert.ToBase64String(proof)))).StatusCode);
    }

    [Fact]
    public async Task A_member_who_left_cannot_broadcast_with_the_ticket_they_got()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var room = await _api.NewRoom(bob, alice);
        var ticket = await Ticket(alice, room.Id, Picture(9));
        await alice.Http.PostAsync($"/api/rooms/{room.Id}/leave", null);

        await Api.AssertProblem(await RequestBroadcast(alice.Http, room.Id, ticket), HttpStatusCode.Forbidden, ProblemCodes.RoomNotMember);
        Assert.Empty((await History(bob, room.Id)).Messages);
    }

    [Fact]
    public async Task Keys_the_deployment_never_had_are_unknown()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice);
        var keys = Service<TicketKeys>();
        var current = await keys.CurrentAsync(CancellationToken.None);
        TicketCodec.Decode(await Ticket(alice, room.Id, Picture(10)), _ => keys.Signing.Key, _ => current, out var payload);
        using var stranger = new TicketSigningKey(System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256));
        var unknownDynamic = new DynamicKey(424242, new byte[32], DateTimeOffset.UnixEpoch);

        await Api.AssertProblem(await RequestBroadcast(alice.Http, room.Id, TicketCodec.Encode(payload!, stranger, null)), HttpStatusCode.Forbidden, ProblemCodes.TicketUnknownKey);
        await Api.AssertProblem(await RequestBroadcast(alice.Http, room.Id, TicketCodec.Encode(payload!, keys.Signing, unknownDynamic)), HttpStatusCode.Forbidden, ProblemCodes.TicketUnknownKey);
    }

    [Fact]
    public async Task Only_pictures_get_tickets()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice);
        var request = Transfer.TransferDriver.Announce([1, 2, 3], room: room.Id, mediaType: "text/plain") with { ForBroadcast = true };

        await Api.AssertProblem(await Transfer.TransferDriver.Post(alice, request), HttpStatusCode.BadRequest, ProblemCodes.BroadcastNotImage);
        await Api.AssertProblem(await Transfer.TransferDriver.Post(alice, request with { MediaType = "image/svg+xml" }), HttpStatusCode.BadRequest, ProblemCodes.BroadcastNotImage);
    }

    [Fact]
    public async Task Tickets_are_encrypted_by_default_and_nobody_but_the_server_stores_them_plain()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice);

        var ticket = await Ticket(alice, room.Id, Picture(11));

        Assert.True(TicketCodec.TryReadKeyIds(ticket, out _, out var dynamicKeyId));
        Assert.NotNull(dynamicKeyId);
        Assert.True(await _api.InDatabase(db => db.IssuedTickets.AnyAsync(t => t.Ticket == ticket)));
    }
}
