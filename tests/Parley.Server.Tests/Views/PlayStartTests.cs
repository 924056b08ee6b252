using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Transfer;
using Parley.Server.Scanning;
using Parley.Core.Problems;
using Parley.Core.Views;
using Parley.Server.Storage;
using Parley.Server.Views;
using Parley.Testing.Views;
using static Parley.Server.Tests.Scanning.QuarantineDriver;
using static Parley.Server.Tests.Transfer.TransferDriver;

namespace Parley.Server.Tests.Views;

/// <summary>The start of a play: what it hands out, and every refusal, through HTTP.</summary>
public sealed class PlayStartTests(ViewsFixture fixture) : IClassFixture<ViewsFixture>
{
    private readonly Api _api = fixture.Api;

    [Fact]
    public async Task A_start_hands_out_a_signed_share_the_instructions_the_facts_and_a_stream()
    {
        var video = await fixture.Share();

        using var play = await fixture.Start(video.Viewer, video.Media); // verifies the server's signature with the view key

        var started = play.Started;
        Assert.StartsWith("p_", started.PlayId);
        Assert.Equal((video.Media, video.Message.Media!.ContentId, video.Viewer.Id, video.Viewer.Device.Id), (started.Media, started.ContentId, started.UserId, started.DeviceId));
        Assert.Equal((5000L, 15000L, 4000L), (started.SealedEveryMs, started.PlainEveryMs, started.ToleranceMs));
        Assert.Equal(("video/webm", (long)video.Bytes.Length), (started.MediaType, started.Size));
        Assert.InRange(started.DurationMs, 19_900, 20_100);
        Assert.InRange(started.BitRate, ViewsFixture.VideoKbps * 1000 / 2, ViewsFixture.VideoKbps * 1000 * 2);
        Assert.StartsWith($"/api/views/plays/{started.PlayId}/stream?access=", started.StreamUrl);
        var record = await Api.Read<PlayRecordDto>(await video.Viewer.Http.GetAsync($"/api/views/plays/{started.PlayId}"));
        Assert.Equal((PlayVerdicts.Open, 0L), (record.Verdict, record.BytesServed));
        // The key and the token are kept, the token only as its hash.
        var stored = await _api.InDatabase(db => db.Plays.SingleAsync(p => p.Id == started.PlayId));
        Assert.Equal(play.Key.Bytes.ToArray(), stored.KeyBytes);
        var token = Base64Url.DecodeFromChars(started.StreamUrl.AsSpan(started.StreamUrl.IndexOf('=') + 1));
        Assert.Equal(32, token.Length);
        Assert.Equal(SHA256.HashData(token), stored.AccessHash);
    }

    [Fact]
    public async Task The_view_key_is_one_stored_key_whose_id_is_its_hash()
    {
        var alice = await _api.NewUser();

        var key = await Api.Read<ViewKeyDto>(await alice.Http.GetAsync("/api/views/key"));

        Assert.Equal(key, await Api.Read<ViewKeyDto>(await (await _api.NewUser()).Http.GetAsync("/api/views/key")));
        Assert.Equal(ViewKey.IdOf(Base64Url.DecodeFromChars(key.PublicKey)), key.KeyId);
        Assert.Matches("^vk_[0-9a-f]{16}$", key.KeyId);
        var stored = await _api.InDatabase(db => db.SharedSecrets.SingleAsync(s => s.Name == ViewKey.SecretName));
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(Convert.FromBase64String(stored.Value), out _);
        Assert.Equal(key.PublicKey, Base64Url.EncodeToString(ecdsa.ExportSubjectPublicKeyInfo()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Server.CreateHttpClient().GetAsync("/api/views/key")).StatusCode);
    }

    [Fact]
    public async Task Only_members_may_start_and_only_on_a_message_with_media()
    {
        var video = await fixture.Share();
        var stranger = await _api.NewUser("stranger");

        await AssertStartRefused(stranger, video.Media, HttpStatusCode.NotFound, ProblemCodes.MediaNotFound);
        await AssertStartRefused(video.Viewer, "m_doesnotexist2345", HttpStatusCode.NotFound, ProblemCodes.MediaNotFound);
        await AssertStartRefused(video.Viewer, video.Message.Media!.ContentId, HttpStatusCode.NotFound, ProblemCodes.MediaNotFound);
        Assert.Equal(0, await _api.InDatabase(db => db.Plays.CountAsync(p => p.MessageId == video.Media)));
    }

    [Fact]
    public async Task A_picture_is_not_a_video()
    {
        var alice = await _api.NewUser();
        var picture = await Delivered(_api, alice, (await _api.NewRoom(alice)).Id, RandomPicture(4096));

        await AssertStartRefused(alice, picture.Id, (HttpStatusCode)422, ProblemCodes.ViewNotVideo);
    }

    [Fact]
    public async Task Quarantined_video_is_refused()
    {
        var video = await fixture.Share(variant: 3);
        await _api.InDatabase(async db =>
        {
            db.Quarantines.Add(new Quarantine { ContentId = video.Message.Media!.ContentId, LibraryVersion = 1, Reasons = "[]", QuarantinedAt = fixture.Clock.GetUtcNow() });
            return await db.SaveChangesAsync();
        });

        await AssertStartRefused(video.Viewer, video.Media, (HttpStatusCode)451, ProblemCodes.MediaQuarantined);
    }

    [Fact]
    public async Task A_video_ffprobe_cannot_read_is_not_playable_and_is_probed_once()
    {
        var alice = await _api.NewUser();
        var room = (await _api.NewRoom(alice)).Id;
        var fake = await Delivered(_api, alice, room, [.. "not a video at all "u8, .. RandomNumberGenerator.GetBytes(64)], "video/mp4", "fake.mp4");

        await AssertStartRefused(alice, fake.Id, (HttpStatusCode)422, ProblemCodes.ViewNotPlayable);
        var probe = await _api.InDatabase(db => db.VideoProbes.SingleAsync(v => v.ContentId == fake.Media!.ContentId));
        Assert.Null(probe.DurationMs);
        await AssertStartRefused(alice, fake.Id, (HttpStatusCode)422, ProblemCodes.ViewNotPlayable);
        Assert.Equal(probe.ProbedAt, (await _api.InDatabase(db => db.VideoProbes.SingleAsync(v => v.ContentId == fake.Media!.ContentId))).ProbedAt);
    }

    [Fact]
    public async Task A_video_the_scan_worker_decoded_keeps_its_facts_without_being_read_again()
    {
        var store = fixture.Server.Services.GetRequiredService<VideoFactsStore>();
        var contentId = ContentId.Of(RandomNumberGenerator.GetBytes(32)).ToString();

        await store.RecordAsync(contentId, "video/mp4", 500_000, new ContainerFacts(4.0, 1_000_000),
            () => throw new InvalidOperationException("The scan worker's facts must be used, not a second probe of the bytes."), CancellationToken.None);

        var probe = await _api.InDatabase(db => db.VideoProbes.SingleAsync(v => v.ContentId == contentId));
        Assert.Equal((4_000L, 1_000_000L), (probe.DurationMs, probe.BitRate));
    }

    [Fact]
    public async Task Without_ffprobe_the_prober_says_it_is_missing()
    {
        var probed = await VideoProber.ProbeAsync(new MemoryStream(await ViewsFixture.Video()), 1, CancellationToken.None, tool: "ffprobe-not-installed-here");

        Assert.True(probed.ProberMissing);
        Assert.False(probed.Playable);
        Assert.Contains("not installed", probed.Problem);
    }

    [Theory]
    [InlineData(VideoFormat.Mp4)]
    [InlineData(VideoFormat.WebM)]
    public async Task A_video_shared_through_a_transfer_is_probed_when_stored(VideoFormat format)
    {
        var alice = await _api.NewUser();
        var room = (await _api.NewRoom(alice)).Id;
        var bytes = await TestVideos.MakeAsync(format, 4, 300, variant: 1);
        var request = Announce(bytes, room: room) with { FileName = "clip" + TestVideos.Extension(format), MediaType = TestVideos.MediaType(format) };
        var transfer = await CreateAndProve(alice, request, bytes);
        var location = await StartUpload(alice, transfer.Id, bytes.Length);
        Assert.Equal(HttpStatusCode.NoContent, (await Patch(alice, location, 0, bytes)).StatusCode);

        var probe = await _api.InDatabase(db => db.VideoProbes.SingleAsync(v => v.ContentId == request.ContentId));

        Assert.InRange(probe.DurationMs!.Value, 3_900, 4_100);
        Assert.InRange(probe.BitRate!.Value, 100_000, 600_000);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64url!")]
    [InlineData("BAAA")]
    [InlineData("AgECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g")] // a compressed point
    public async Task A_share_that_is_no_P256_point_is_refused(string share)
    {
        var video = await fixture.Share();
        var offCurve = new byte[65];
        offCurve[0] = 4;
        offCurve[64] = 1;

        foreach (var bad in new[] { share, Base64Url.EncodeToString(offCurve) })
        {
            var response = await HonestPlay.PostStartAsync(video.Viewer.Http, new StartPlayRequest(video.Media, bad, HonestPlay.SignStart(video.Viewer.Device.Key, video.Media, bad)));
            await Api.AssertProblem(response, HttpStatusCode.BadRequest, ProblemCodes.ViewShareInvalid);
        }
    }

    [Fact]
    public async Task The_start_must_be_signed_by_the_sessions_own_device_over_this_media_and_share()
    {
        var video = await fixture.Share(viewers: 2);
        var (viewer, other) = (video.Viewers[0], video.Viewers[1]);
        using var share = PlayShare.Create();
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var otherShare = PlayShare.Create();
        string[] forged =
        [
            HonestPlay.SignStart(stranger, video.Media, share.Public),
            HonestPlay.SignStart(other.Device.Key, video.Media, share.Public),
            HonestPlay.SignStart(viewer.Device.Key, video.Media, otherShare.Public),
            HonestPlay.SignStart(viewer.Device.Key, video.Media + "x", share.Public),
            "not base64url!",
            Base64Url.EncodeToString(new byte[64]),
            "",
        ];
        foreach (var signature in forged)
            await Api.AssertProblem(await HonestPlay.PostStartAsync(viewer.Http, new StartPlayRequest(video.Media, share.Public, signature)),
                (HttpStatusCode)422, ProblemCodes.ViewSignatureInvalid);

        Assert.Equal(0, await _api.InDatabase(db => db.Plays.CountAsync(p => p.MessageId == video.Media)));
    }

    [Fact]
    public async Task A_session_without_a_device_cannot_sign_a_start()
    {
        var sender = await _api.NewUser("sender");
        var viewer = await _api.NewUserWithoutDevice("viewer");
        var room = await _api.NewRoom(sender);
        Assert.Equal(HttpStatusCode.Created, (await Api.PostJson(sender.Http, $"/api/rooms/{room.Id}/invitations", new Core.Rooms.InviteRequest(viewer.Name))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.Http.PostAsync($"/api/rooms/{room.Id}/join", null)).StatusCode);
        var message = await Delivered(_api, sender, room.Id, await ViewsFixture.Video(), "video/webm", "clip.webm");
        using var share = PlayShare.Create();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var response = await HonestPlay.PostStartAsync(viewer.Http, new StartPlayRequest(message.Id, share.Public, HonestPlay.SignStart(key, message.Id, share.Public)));

        await Api.AssertProblem(response, (HttpStatusCode)422, ProblemCodes.ViewSignatureInvalid);
    }

    private static async Task AssertStartRefused(TestUser user, string media, HttpStatusCode status, string code)
    {
        using var share = PlayShare.Create();
        var response = await HonestPlay.PostStartAsync(user.Http, new StartPlayRequest(media, share.Public, HonestPlay.SignStart(user.Device.Key, media, share.Public)));
        await Api.AssertProblem(response, status, code);
    }
}
