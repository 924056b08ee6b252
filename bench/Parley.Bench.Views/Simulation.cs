using Parley.Core.Views;

namespace Parley.Bench.Views;

/// <summary>Tallies of one population's records.</summary>
public sealed class Tally
{
    public int Records { get; private set; }
    public int Illegal { get; private set; }
    public int Counted { get; private set; }
    public int Expired { get; private set; }

    /// <summary>Failed checks by reason code, over the illegal records.</summary>
    public SortedDictionary<string, int> Reasons { get; } = new(StringComparer.Ordinal);

    public double IllegalShare => Records == 0 ? 0 : (double)Illegal / Records;
    public double CountedShare => Records == 0 ? 0 : (double)Counted / Records;
    public double ExpiredShare => Records == 0 ? 0 : (double)Expired / Records;

    public void Add(PlayOutcome outcome)
    {
        Records++;
        if (outcome.Counted) Counted++;
        if (outcome.Reasons.Contains(ViewReasons.Expired)) Expired++;
        if (outcome.Verdict != PlayVerdicts.Illegal) return;
        Illegal++;
        foreach (var reason in outcome.Reasons)
            if (reason is not (ViewReasons.Ended or ViewReasons.Expired)) Reasons[reason] = Reasons.GetValueOrDefault(reason) + 1;
    }
}

/// <summary>
/// One row: a population's records, for group strategies the one genuine play each group also made, and what the
/// server saw of the accepted reports (the margins the thresholds leave; see <see cref="SimServer"/>).
/// </summary>
public sealed record PopulationResult(Profile Profile, Tally Records, Tally? Genuine, double MinTrafficRatio, long MaxExcess, long MaxFinalExcess);

/// <summary>
/// Runs populations of honest viewers and bots against <see cref="PlayJudge"/> with real key agreement and sealing,
/// each population from its own seeded random source, so a run is reproducible.
/// </summary>
public static class Simulation
{
    private static readonly Profile GenuineViewer = new("genuine", true);

    public static IReadOnlyList<PopulationResult> Run(ViewRules rules, int honestRecords, int botRecords, int seed) =>
    [
        .. Profile.HonestPopulations.Select((p, i) => RunPopulation(p, rules, honestRecords, seed + i)),
        .. Profile.BotStrategies.Select((p, i) => RunPopulation(p, rules, botRecords, seed + 100 + i)),
    ];

    public static PopulationResult RunPopulation(Profile profile, ViewRules rules, int records, int seed)
    {
        var random = new Random(seed);
        var server = new SimServer(rules);
        var tally = new Tally();
        var genuine = profile.Group == GroupKind.Single ? null : new Tally();
        while (tally.Records < records)
        {
            switch (profile.Group)
            {
                case GroupKind.Single:
                    tally.Add(Single(profile, random, server, SimVideo.Random(random)));
                    break;
                case GroupKind.SharedDownload:
                    SharedDownload(profile, random, server, tally, genuine!);
                    break;
                case GroupKind.KeyReuse:
                    KeyReuse(profile, random, server, tally, genuine!);
                    break;
                case GroupKind.Relayed:
                    Relayed(random, server, tally, genuine!);
                    break;
            }
        }
        return new(profile, tally, genuine, server.MinTrafficRatio, server.MaxExcess, server.MaxFinalExcess);
    }

    private static PlayOutcome Single(Profile profile, Random random, SimServer server, SimVideo video, PlayShare? share = null)
    {
        using var owned = share is null ? PlayShare.Create() : null;
        var timeline = new Timeline(server);
        var (play, key) = server.Start(share ?? owned!, video, "u_viewer", 0);
        using (key)
        {
            timeline.Add(new Viewer(profile, random, timeline, video, play, key, 0));
            timeline.Run([play], Limit(video));
        }
        return play.Outcome!;
    }

    // One play streams; the others, the same user's, start a few seconds apart and copy its progress without streaming.
    private static void SharedDownload(Profile profile, Random random, SimServer server, Tally bots, Tally genuine)
    {
        var video = SimVideo.Random(random);
        var timeline = new Timeline(server);
        var siblings = new List<ServerPlay>();
        var keys = new List<PlayKey>();
        using var leaderShare = PlayShare.Create();
        var (leaderPlay, leaderKey) = server.Start(leaderShare, video, "u_bot", 0, siblings);
        keys.Add(leaderKey);
        var leader = new Viewer(GenuineViewer, random, timeline, video, leaderPlay, leaderKey, 0);
        timeline.Add(leader);
        for (var i = 1; i < profile.GroupSize; i++)
        {
            using var share = PlayShare.Create();
            var (play, key) = server.Start(share, video, "u_bot", i * 2_000, siblings);
            keys.Add(key);
            timeline.Add(new Viewer(profile with { Downloads = false }, random, timeline, video, play, key, i * 2_000) { Leader = leader });
        }
        timeline.Run(siblings, Limit(video));
        genuine.Add(leaderPlay.Outcome!);
        foreach (var play in siblings.Skip(1)) bots.Add(play.Outcome!);
        keys.ForEach(k => k.Dispose());
    }

    // The first play with a client share is genuine; every later play of another video with the same share is the bot's.
    private static void KeyReuse(Profile profile, Random random, SimServer server, Tally bots, Tally genuine)
    {
        using var share = PlayShare.Create();
        genuine.Add(Single(GenuineViewer, random, server, SimVideo.Random(random), share));
        for (var i = 1; i < profile.GroupSize; i++) bots.Add(Single(GenuineViewer, random, server, SimVideo.Random(random), share));
    }

    // An honest play, and a second session (its own key agreement) that receives a copy of every request the first sends.
    private static void Relayed(Random random, SimServer server, Tally bots, Tally genuine)
    {
        var video = SimVideo.Random(random);
        var timeline = new Timeline(server);
        using var honestShare = PlayShare.Create();
        using var botShare = PlayShare.Create();
        var (honest, honestKey) = server.Start(honestShare, video, "u_viewer", 0);
        var (relayed, botKey) = server.Start(botShare, video, "u_relay", 0);
        using (honestKey)
        using (botKey)
        {
            timeline.Add(new Viewer(GenuineViewer, random, timeline, video, honest, honestKey, 0) { RelayTo = relayed });
            timeline.Run([honest, relayed], Limit(video));
        }
        genuine.Add(honest.Outcome!);
        bots.Add(relayed.Outcome!);
    }

    private static long Limit(SimVideo video) => video.DurationMs + 3_600_000;
}
