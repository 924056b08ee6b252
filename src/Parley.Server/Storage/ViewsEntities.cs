using Microsoft.EntityFrameworkCore;

namespace Parley.Server.Storage;

/// <summary>
/// What ffprobe found in a stored video (docs/views.md, "HTTP API"): probed when the video is stored, or at the first play
/// of one stored before. A row with no duration is a video ffprobe could not read: not playable, and not probed again.
/// </summary>
public sealed class VideoProbe
{
    public required string ContentId { get; init; }
    public long? DurationMs { get; init; }
    /// <summary>Bits per second: the container's, or size × 8 / duration when it declares none.</summary>
    public long? BitRate { get; init; }
    public required DateTimeOffset ProbedAt { get; init; }
}

/// <summary>
/// One play of a video (docs/views.md): its key, the hash of its stream's access token, the judge's state and, once it
/// ended, its verdict. Every node reads and writes plays in the shared database: <see cref="BytesServed"/> only ever
/// grows by an atomic <c>UPDATE … SET bytes_served = bytes_served + n</c>, and every other change goes through
/// <see cref="Version"/>, a concurrency token, so two reports judged at once on two nodes cannot both pass.
/// </summary>
public sealed class Play
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required string DeviceId { get; init; }
    /// <summary>The message that carries the video: views count per message.</summary>
    public required string MessageId { get; init; }
    public required string RoomId { get; init; }
    public required string ContentId { get; init; }
    /// <summary>The client's ECDH share; unique, so a share used again is caught by the database. Null on a play refused for reusing one.</summary>
    public string? ClientShare { get; init; }
    public required byte[] KeyBytes { get; init; }
    /// <summary>SHA-256 of the stream's access token; the token itself is never stored.</summary>
    public required byte[] AccessHash { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; set; }
    public DateTimeOffset? LastReportAt { get; set; }
    /// <summary><c>open</c>, <c>legal</c> or <c>illegal</c> (Core's PlayVerdicts).</summary>
    public required string Verdict { get; set; }
    /// <summary>The record's reason codes, a JSON array of strings.</summary>
    public required string Reasons { get; set; }
    public bool Counted { get; set; }
    public double WatchedShare { get; set; }
    public long BytesServed { get; init; }
    public long BytesReported { get; set; }
    public int SealedReports { get; set; }
    public int PlainReports { get; set; }
    /// <summary>Core's PlayState as JSON: what the judge remembers between reports.</summary>
    public required string State { get; set; }
    public long Version { get; set; }
}

public abstract partial class ParleyDbContext
{
    public DbSet<VideoProbe> VideoProbes => Set<VideoProbe>();
    public DbSet<Play> Plays => Set<Play>();

    /// <summary>The probed facts of stored videos, and plays with their records.</summary>
    private static void MapViews(ModelBuilder model)
    {
        model.Entity<VideoProbe>(e =>
        {
            e.ToTable("video_probes");
            e.HasKey(v => v.ContentId);
        });
        model.Entity<Play>(e =>
        {
            e.ToTable("plays");
            e.HasIndex(p => p.ClientShare).IsUnique();
            e.HasIndex(p => new { p.MessageId, p.Counted });
            e.HasIndex(p => new { p.MessageId, p.EndedAt });
            e.HasIndex(p => new { p.UserId, p.ContentId });
            e.Property(p => p.Version).IsConcurrencyToken();
            References<Play, User>(e, p => p.UserId);
            References<Play, Device>(e, p => p.DeviceId);
            References<Play, Message>(e, p => p.MessageId);
            References<Play, Room>(e, p => p.RoomId);
        });
    }
}
