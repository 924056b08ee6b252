namespace Parley.Core.Views;

/// <summary>
/// The reason codes a play record carries (docs/views.md, "Checks"). Every code but <see cref="Ended"/> and
/// <see cref="Expired"/> is a failed check and makes the record illegal.
/// </summary>
public static class ViewReasons
{
    /// <summary>A sealed report is not an envelope, or does not open under the play key for this play and counter.</summary>
    public const string Undecryptable = "view.undecryptable";

    /// <summary>A report's counter is not above the last accepted one of its kind: replayed or reordered.</summary>
    public const string CounterReplayed = "view.counter_replayed";

    /// <summary>A report came sooner than its period minus the tolerance after the previous one of its kind.</summary>
    public const string ReportEarly = "view.report_early";

    /// <summary>The reported traffic is outside the range the video's bitrate and the watched time allow.</summary>
    public const string TrafficOutOfRange = "view.traffic_out_of_range";

    /// <summary>The position advanced faster than playback allows, without a seek.</summary>
    public const string PositionTooFast = "view.position_too_fast";

    /// <summary>The reported traffic exceeds what the server streamed to this play.</summary>
    public const string TrafficMismatch = "view.traffic_mismatch";

    /// <summary>The reported traffic was streamed to another play of the same user and video: one download, several plays.</summary>
    public const string DownloadShared = "view.download_shared";

    /// <summary>A plain report contradicts the sealed reports around it.</summary>
    public const string ReportsDisagree = "view.reports_disagree";

    /// <summary>The client's share was already used by another play: one key, several plays or videos.</summary>
    public const string KeyReused = "view.key_reused";

    /// <summary>The play ended with plain reports but no sealed report: a client without the key.</summary>
    public const string SealedMissing = "view.sealed_missing";

    /// <summary>The play ended after a plain report was due without any.</summary>
    public const string PlainMissing = "view.plain_missing";

    /// <summary>Not a failure: the client ended the play.</summary>
    public const string Ended = "view.ended";

    /// <summary>Not a failure: no report came within its period plus the tolerance, so the play was closed at its last report.</summary>
    public const string Expired = "view.expired";
}
