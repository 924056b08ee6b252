using System.Net;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Messaging;
using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;
using Parley.Core.Transfer;
using Parley.Server.Messaging;
using Parley.Server.Scanning;
using Parley.Server.Storage;
using Parley.Server.Transfer;

namespace Parley.Server.Tests.Scanning;

/// <summary>What the quarantine tests share: carriers of a payload, publishing features derived from it, and reading the outcome.</summary>
public static class QuarantineDriver
{
    /// <summary>A payload as an attacker appends it: random, so no other test's features match it.</summary>
    public static byte[] NewPayload() => [.. "#!/bin/sh\n"u8, .. RandomNumberGenerator.GetBytes(70)];

    /// <summary>The features the server's feedback step would derive from the payload of a file it blocked.</summary>
    public static IReadOnlyList<Feature> Derived(byte[] payload) => FeatureDerivation.FromPayload(payload, "Hidden after a picture's end in a blocked share");

    /// <summary>Publishes features through the API, as an operator would (the server's own feedback step uses the same PublishAsync).</summary>
    public static async Task<long> Publish(TestUser op, IReadOnlyList<Feature> features)
    {
        var text = FeatureText.Write(FeatureLibrary.Empty.With(features));
        return (await Api.Read<ImportFeaturesResult>(await Api.PostJson(op.Http, "/api/scanning/library", new ImportFeaturesRequest("derived.txt", text)))).Version;
    }

    /// <summary>
    /// Media delivered to the room before a feature that matches it existed (e.g. before the share path scanned at
    /// all): stored and posted the way a completed transfer stores and posts it. A carrier of a payload cannot be shared
    /// through the API any more (the second detection refuses data after the end), so the tests plant it. The views
    /// tests plant videos the same way: stored before the server probed videos at store time.
    /// </summary>
    public static async Task<MessageDto> Delivered(Api api, TestUser sender, string roomId, byte[] content, string mediaType = "image/png", string fileName = "holiday.png")
    {
        using var scope = api.Server.Services.CreateScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<ParleyDbContext>();
        var contentId = ContentId.Of(content).ToString();
        var now = DateTimeOffset.UtcNow;
        // One chunk of the whole content: a chunk is named by its bytes' content id, so here by the blob's own. Content
        // planted before is stored once and posted again, as a deduplicated share is.
        if (!db.Blobs.Any(b => b.Id == contentId))
        {
            await services.GetRequiredService<ChunkStore>().WriteAsync(contentId, content, CancellationToken.None);
            db.Chunks.Add(new Chunk { Id = contentId, Length = content.Length, CreatedAt = now });
            db.Blobs.Add(new Blob { Id = contentId, Size = content.Length, CreatedAt = now });
            db.BlobChunks.Add(new BlobChunk { BlobId = contentId, Index = 0, ChunkId = contentId, Offset = 0, Length = content.Length });
            await db.SaveChangesAsync();
        }
        return await services.GetRequiredService<MessagePosting>().PostMedia(roomId, sender.Id, sender.Name,
            new MediaDto(contentId, content.Length, mediaType, fileName), CancellationToken.None);
    }

    public static async Task<MessageDto> InHistory(TestUser member, MessageDto message) =>
        Assert.Single((await Api.Read<MessagePage>(await member.Http.GetAsync($"/api/rooms/{message.RoomId}/messages?limit=200"))).Messages, m => m.Id == message.Id);

    public static Task<HttpResponseMessage> Download(TestUser user, string mediaId, HttpMethod? method = null) =>
        user.Http.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Get, $"/api/media/{mediaId}"));

    public static async Task AssertQuarantined(TestUser user, MessageDto message)
    {
        await Api.AssertProblem(await Download(user, message.Media!.ContentId), (HttpStatusCode)451, Core.Problems.ProblemCodes.MediaQuarantined);
        await Api.AssertProblem(await Download(user, message.Id), (HttpStatusCode)451, Core.Problems.ProblemCodes.MediaQuarantined);
        Assert.Equal((HttpStatusCode)451, (await Download(user, message.Id, HttpMethod.Head)).StatusCode);
        Assert.True((await InHistory(user, message)).Media!.Quarantined);
    }

    public static async Task AssertServed(TestUser user, MessageDto message, byte[] content)
    {
        var response = await Download(user, message.Id);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
        Assert.False((await InHistory(user, message)).Media!.Quarantined);
    }

    /// <summary>A live connection that collects the quarantine events, connected (its own presence seen) before returning.</summary>
    public static async Task<Listener> Listen(Api api, TestUser user)
    {
        Channel<MediaQuarantinedEvent> quarantined = null!;
        Channel<MediaReleasedEvent> released = null!;
        var connection = await api.ConnectRegistered(user, c =>
        {
            quarantined = Api.Listen<MediaQuarantinedEvent>(c, ScanningEvents.MediaQuarantined);
            released = Api.Listen<MediaReleasedEvent>(c, ScanningEvents.MediaReleased);
        });
        return new Listener(connection, quarantined, released);
    }

    public sealed record Listener(
        HubConnection Connection,
        Channel<MediaQuarantinedEvent> Quarantined,
        Channel<MediaReleasedEvent> Released) : IAsyncDisposable
    {
        private readonly List<MediaQuarantinedEvent> _earlier = [];

        /// <summary>
        /// The next quarantine of <paramref name="contentId"/>. A sweep reaches blobs in id order, so others may come
        /// first: they are kept for their own call.
        /// </summary>
        public async Task<MediaQuarantinedEvent> NextQuarantine(string contentId)
        {
            if (_earlier.FirstOrDefault(e => e.ContentId == contentId) is { } kept)
            {
                _earlier.Remove(kept);
                return kept;
            }
            while (true)
            {
                var change = await Quarantined.Reader.ReadAsync().AsTask().Within();
                if (change.ContentId == contentId) return change;
                _earlier.Add(change);
            }
        }

        public ValueTask DisposeAsync() => Connection.DisposeAsync();
    }

    public static Task<IReadOnlyList<long>> SweepOnce(Api api) =>
        api.Server.Services.GetRequiredService<QuarantineSweeper>().SweepOnceAsync(CancellationToken.None);
}
