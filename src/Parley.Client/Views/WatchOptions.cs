namespace Parley.Client.Views;

/// <summary>How <see cref="ViewsClient.WatchAsync"/> plays.</summary>
public sealed record WatchOptions
{
    /// <summary>
    /// How much playing time the download keeps buffered ahead of the position. It refills once less than half is left,
    /// so the buffer stays between half of this and this much: a player's few seconds, never the whole video at once
    /// (which the server's traffic check would take for a download, not a play).
    /// </summary>
    public TimeSpan BufferAhead { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>The clock of the playback position and of the report timers.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>Where a watch stands: the position, the bytes received of the stream, and the reports sent so far.</summary>
public sealed record WatchProgress(long PositionMs, long DurationMs, long BytesReceived, long Size, int SealedReports, int PlainReports);
