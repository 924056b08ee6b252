namespace Parley.Bench.Views;

/// <summary>What a viewer claims about its download in its reports.</summary>
public enum BytesClaim
{
    /// <summary>The bytes it really received.</summary>
    Actual,

    /// <summary>The bytes a player would have needed for the position it claims (a forger's best guess).</summary>
    AsIfPlayed,
}

/// <summary>How a viewer makes its sealed reports.</summary>
public enum SealMode
{
    /// <summary>Sealed under the play key it agreed with the server.</summary>
    Real,

    /// <summary>Random bytes of an envelope's length: a client without the key.</summary>
    Garbage,

    /// <summary>None at all: plain reports only.</summary>
    None,
}

/// <summary>How the plays of one record group relate (most strategies: one play on its own).</summary>
public enum GroupKind
{
    Single,

    /// <summary>One play streams, the others of the same user copy its progress without streaming.</summary>
    SharedDownload,

    /// <summary>One client share for several plays of different videos.</summary>
    KeyReuse,

    /// <summary>A second session posts an honest play's reports as its own.</summary>
    Relayed,
}

/// <summary>
/// One population of viewers: its network, how people watch, and (for bots) what they fake. Each draw of a record
/// picks concrete values from these ranges with the population's seeded random source.
/// </summary>
public sealed record Profile(string Name, bool Honest)
{
    // Network: link speed in multiples of the video's bitrate; one-way delay of a report = base + exponential jitter.
    public double LinkMin { get; init; } = 3;
    public double LinkMax { get; init; } = 20;
    public bool Bursty { get; init; }
    public double DelayBaseMs { get; init; } = 40;
    public double JitterMeanMs { get; init; } = 30;
    public int OutagesMax { get; init; }
    public double OutageMaxSeconds { get; init; } = 30;
    public bool Sleeps { get; init; }

    // Watching.
    public int PausesMax { get; init; }
    public int SeeksMax { get; init; }
    public double RateMin { get; init; } = 1;
    public double RateMax { get; init; } = 1;
    public double QuitMin { get; init; } = 1;
    public double QuitMax { get; init; } = 1;
    public double BufferAheadSeconds { get; init; } = 30;

    // Faking.
    public bool Downloads { get; init; } = true;
    public double DownloadShare { get; init; } = 1;
    public long? HeaderOnly { get; init; }
    public BytesClaim Claim { get; init; } = BytesClaim.Actual;
    public SealMode Seal { get; init; } = SealMode.Real;
    public bool SendsPlain { get; init; } = true;
    public double? ReplayAfterSeconds { get; init; }
    public GroupKind Group { get; init; } = GroupKind.Single;
    public int GroupSize { get; init; } = 1;

    /// <summary>The honest sub-populations: each stresses one thing real networks and people do.</summary>
    public static IReadOnlyList<Profile> HonestPopulations { get; } =
    [
        new("steady broadband", true),
        new("network jitter (mean 400 ms, heavy tail)", true) { DelayBaseMs = 120, JitterMeanMs = 400 },
        new("pauses (1-4, 5 s to 3 min)", true) { PausesMax = 4 },
        new("seeks forward and back (2-6)", true) { SeeksMax = 6 },
        new("slow link (0.5-0.95× bitrate: stalls)", true) { LinkMin = 0.5, LinkMax = 0.95, BufferAheadSeconds = 10 },
        new("bursty link (on/off)", true) { Bursty = true, LinkMin = 1.5, LinkMax = 6 },
        new("reconnects (1-3 outages, 1-30 s)", true) { OutagesMax = 3 },
        new("mobile sleep (1-10 min suspended)", true) { Sleeps = true },
        new("quits early (5-60 %, half without end)", true) { QuitMin = 0.05, QuitMax = 0.6 },
        new("faster playback (1.25-2×)", true) { RateMin = 1.25, RateMax = 2 },
        new("everything at once", true)
        {
            DelayBaseMs = 80, JitterMeanMs = 250, PausesMax = 2, SeeksMax = 3, Bursty = true, LinkMin = 1, LinkMax = 4,
            OutagesMax = 1, QuitMin = 0.3, QuitMax = 1,
        },
    ];

    /// <summary>The bot strategies of issue 10, each its own row.</summary>
    public static IReadOnlyList<Profile> BotStrategies { get; } =
    [
        new("no download, forged reports (real key)", false) { Downloads = false, Claim = BytesClaim.AsIfPlayed },
        new("replayed reports (after 15 s of real play)", false) { ReplayAfterSeconds = 15 },
        new("no key: plain reports only", false) { Seal = SealMode.None },
        new("no key: garbage sealed reports", false) { Seal = SealMode.Garbage },
        new("headers-only download", false) { HeaderOnly = 64 * 1024 },
        new("headers-only download, bytes claimed as if played", false) { HeaderOnly = 64 * 1024, Claim = BytesClaim.AsIfPlayed },
        new("10× speed-through", false) { RateMin = 10, RateMax = 10, LinkMin = 30, LinkMax = 60, BufferAheadSeconds = 600 },
        new("3× speed-through (beyond issue 10's list)", false) { RateMin = 3, RateMax = 3, LinkMin = 10, LinkMax = 20, BufferAheadSeconds = 600 },
        new("60 % downloaded, full watch claimed (beyond the list)", false) { DownloadShare = 0.6 },
        new("one download shared by 8 sessions", false) { Group = GroupKind.SharedDownload, GroupSize = 8, Claim = BytesClaim.AsIfPlayed },
        new("key reused across 4 videos", false) { Group = GroupKind.KeyReuse, GroupSize = 4 },
        new("real client's reports relayed for a second session", false) { Group = GroupKind.Relayed, GroupSize = 2 },
    ];
}
