using Microsoft.EntityFrameworkCore;
using Parley.Core.Problems;
using Parley.Core.Views;
using Parley.Server.Problems;
using Parley.Server.Scanning;
using Parley.Server.Storage;

namespace Parley.Server.Views;

/// <summary>
/// The duration and bitrate of stored videos, which every check of a play's traffic and position needs: probed when a
/// video is stored (<see cref="RecordAsync"/>, called by the transfer before delivery) and, for videos stored before
/// this version, at their first play. A content id is probed once; a video ffprobe cannot read stays not playable.
/// Each lookup and insert has a context of its own, so a caller's tracked changes (the transfer's) are neither saved
/// early nor cleared by a lost insert race.
/// </summary>
public sealed class VideoFactsStore(IServiceScopeFactory scopes, TimeProvider clock, ILogger<VideoFactsStore> log)
{
    /// <summary>The media types a play may start on: what browsers and the .NET client play.</summary>
    public static bool IsVideo(string? mediaType) => mediaType is "video/mp4" or "video/webm" or "video/quicktime";

    /// <summary>
    /// Keeps the facts of a video being stored, so its first play finds them; anything else is left alone. The scan
    /// worker's FFmpeg read them when it decoded the video (<paramref name="scanned"/>); without them (a reused verdict,
    /// no worker) the video is probed here.
    /// </summary>
    public async Task RecordAsync(string contentId, string? mediaType, long size, ContainerFacts? scanned, Func<Stream> open, CancellationToken ct)
    {
        if (!IsVideo(mediaType) || await FindAsync(contentId, ct) is not null) return;
        var probed = scanned is not null ? VideoProber.From(scanned, size) : await ProbeAsync(open, size, ct);
        if (probed.ProberMissing) log.LogWarning("Videos cannot be played for views: {Problem}", probed.Problem);
        else await SaveAsync(contentId, probed, ct);
    }

    /// <summary>The video's facts, probed now if it was stored before probing existed; <c>view.not_playable</c> without them.</summary>
    public async Task<Outcome<VideoFacts>> GetAsync(string contentId, long size, Func<Stream> open, CancellationToken ct)
    {
        var row = await FindAsync(contentId, ct);
        if (row is null)
        {
            var probed = await ProbeAsync(open, size, ct);
            if (probed.ProberMissing) return new Refusal(ProblemCodes.ViewNotPlayable, $"The server cannot measure videos: {probed.Problem}");
            row = await SaveAsync(contentId, probed, ct);
        }
        return row is { DurationMs: > 0 and var duration, BitRate: > 0 and var bitRate }
            ? new VideoFacts(size, duration, bitRate)
            : new Refusal(ProblemCodes.ViewNotPlayable, "ffprobe finds no duration or bitrate in this video, so its plays cannot be checked.");
    }

    private async Task<VideoProbe?> FindAsync(string contentId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ParleyDbContext>().VideoProbes.AsNoTracking().SingleOrDefaultAsync(v => v.ContentId == contentId, ct);
    }

    private static async Task<ProbeResult> ProbeAsync(Func<Stream> open, long size, CancellationToken ct)
    {
        await using var video = open();
        return await VideoProber.ProbeAsync(video, size, ct);
    }

    /// <summary>Stores a probe; when another node stored the same content's first, theirs stands (same bytes, same facts).</summary>
    private async Task<VideoProbe> SaveAsync(string contentId, ProbeResult probed, CancellationToken ct)
    {
        var row = new VideoProbe
        {
            ContentId = contentId,
            DurationMs = probed.Playable ? probed.DurationMs : null,
            BitRate = probed.Playable ? probed.BitRate : null,
            ProbedAt = clock.Now(),
        };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        db.VideoProbes.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
            return row;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return await db.VideoProbes.AsNoTracking().SingleAsync(v => v.ContentId == contentId, ct);
        }
    }
}
