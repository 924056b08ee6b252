using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Problems;
using Parley.Core.Views;
using Parley.Server.Problems;
using Parley.Server.Scanning;
using Parley.Server.Storage;
using Parley.Server.Transfer;

namespace Parley.Server.Views;

/// <summary>
/// The start of a play (docs/views.md, "HTTP API"): checks the video and the device's signature, makes the server's
/// share, derives and keeps the play key, signs the transcript and hands out the stream's access token. A client share
/// used before still starts a play, but its record is illegal from the start (<see cref="ViewReasons.KeyReused"/>):
/// only the later play is blamed, so nobody can get another's play marked by replaying its share.
/// </summary>
public sealed class PlayStarter(
    ParleyDbContext db, TransferService transfers, ChunkStore store, VideoFactsStore facts, ViewKey viewKey, PlayJudge judge, TimeProvider clock)
{
    public const int AccessTokenLength = 32;

    public static readonly string[] Refusals =
    [
        ProblemCodes.MediaNotFound, ProblemCodes.MediaQuarantined, ProblemCodes.ViewNotVideo, ProblemCodes.ViewNotPlayable,
        ProblemCodes.ViewShareInvalid, ProblemCodes.ViewSignatureInvalid,
    ];

    public async Task<Outcome<PlayStartedDto>> StartAsync(string userId, string? deviceId, StartPlayRequest request, CancellationToken ct)
    {
        if (!PlayShare.IsValid(request.ClientShare))
            return new Refusal(ProblemCodes.ViewShareInvalid, "clientShare must be an uncompressed P-256 point (65 bytes), base64url.");
        var message = await ViewerMedia.FindAsync(db, request.Media, userId, anyRoom: false, ct);
        if (message is null) return MediaResponses.NotFound;
        if (await QuarantineService.IsQuarantinedAsync(db, message.MediaContentId!, ct)) return MediaResponses.Quarantined;
        if (!VideoFactsStore.IsVideo(message.MediaType))
            return new Refusal(ProblemCodes.ViewNotVideo, $"Only videos (video/mp4, video/webm, video/quicktime) have views; this is {message.MediaType}.");
        if (deviceId is null || !await DeviceSignedAsync(deviceId, request, ct))
            return new Refusal(ProblemCodes.ViewSignatureInvalid,
                "deviceSignature must be this session's device key's ECDSA-SHA256 signature (P1363, base64url) over the start text.");
        var chunks = await transfers.BlobChunkList(message.MediaContentId!, message.MediaSize ?? 0, ct);
        if (chunks is null) return MediaResponses.NotFound;
        var video = await facts.GetAsync(message.MediaContentId!, message.MediaSize ?? 0, () => store.OpenBlob(chunks), ct);
        if (video.Refusal is { } notPlayable) return notPlayable;
        return await CreateAsync(userId, deviceId, message, request.ClientShare, video.Value, ct);
    }

    private async Task<bool> DeviceSignedAsync(string deviceId, StartPlayRequest request, CancellationToken ct)
    {
        var publicKey = await db.Devices.AsNoTracking().Where(d => d.Id == deviceId).Select(d => d.PublicKey).SingleOrDefaultAsync(ct);
        if (publicKey is null || request.DeviceSignature is null) return false;
        byte[] signature;
        try
        {
            signature = Base64Url.DecodeFromChars(request.DeviceSignature);
        }
        catch (FormatException)
        {
            return false;
        }
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(publicKey, out _);
        return key.VerifyData(PlayTranscript.StartText(request.Media, request.ClientShare), signature, HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private async Task<PlayStartedDto> CreateAsync(string userId, string deviceId, Message message, string clientShare, VideoFacts video, CancellationToken ct)
    {
        var rules = judge.Rules;
        var playId = Ids.New("p");
        using var serverShare = PlayShare.Create();
        var transcript = new PlayTranscript(playId, userId, deviceId, message.Id, message.MediaContentId!, clientShare, serverShare.Public,
            (long)rules.SealedEvery.TotalMilliseconds, (long)rules.PlainEvery.TotalMilliseconds);
        using var key = serverShare.DeriveKey(clientShare, transcript);
        var token = RandomNumberGenerator.GetBytes(AccessTokenLength);
        var now = clock.Now();
        Play NewPlay(bool reused)
        {
            var play = new Play
            {
                Id = playId, UserId = userId, DeviceId = deviceId, MessageId = message.Id, RoomId = message.RoomId,
                ContentId = message.MediaContentId!, ClientShare = reused ? null : clientShare, KeyBytes = key.Bytes.ToArray(),
                AccessHash = SHA256.HashData(token), StartedAt = now, Verdict = reused ? PlayVerdicts.Illegal : PlayVerdicts.Open,
                Reasons = StoredJson.Write<string>(reused ? [ViewReasons.KeyReused] : []), EndedAt = reused ? now : null, State = "",
            };
            play.Sync(reused ? PlayJudge.BeginIllegal(now, ViewReasons.KeyReused) : PlayJudge.Begin(now));
            return play;
        }
        var reused = await db.Plays.AnyAsync(p => p.ClientShare == clientShare, ct);
        var added = db.Plays.Add(NewPlay(reused));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (!reused)
        {
            // Another node stored a play with this share between the check and the insert: this one is the later play.
            added.State = EntityState.Detached;
            db.Plays.Add(NewPlay(reused: true));
            await db.SaveChangesAsync(ct);
        }
        return new PlayStartedDto(playId, message.Id, message.MediaContentId!, userId, deviceId, serverShare.Public, viewKey.Sign(transcript),
            viewKey.Public.KeyId, transcript.SealedEveryMs, transcript.PlainEveryMs, (long)rules.Tolerance.TotalMilliseconds,
            PlayStream.Url(playId, token), message.MediaType!, video.Size, video.DurationMs, video.BitRate, now);
    }
}
