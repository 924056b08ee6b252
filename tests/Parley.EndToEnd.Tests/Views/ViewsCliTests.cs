using System.Text.Json;
using Parley.Client;
using Parley.Core.Views;
using Parley.Testing.Views;

namespace Parley.EndToEnd.Tests.Views;

/// <summary>
/// The flow at terminals (SPEC §5): alice sends a video, bob watches it with <c>parley watch</c> and it counts one
/// view; carol's forged and replayed reports, made with the client library, count none; alice, the sender, sees every record.
/// </summary>
public sealed class ViewsCliTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"parley-e2e-data-{Guid.NewGuid():N}");
    private readonly string _files = Directory.CreateTempSubdirectory("parley-e2e-videos-").FullName;
    private readonly List<IDisposable> _cleanup = [];

    [Fact]
    public async Task An_honest_watch_counts_one_view_and_forged_or_replayed_reports_count_none()
    {
        // Short periods, so a real-time watch of a 3-second video takes a few seconds.
        var server = Track(await ServerProcess.StartAsync(FreePorts.Next(), _data, new Dictionary<string, string>
        {
            ["Parley__Views__SealedEvery"] = "00:00:01",
            ["Parley__Views__PlainEvery"] = "00:00:02",
            ["Parley__Views__Tolerance"] = "00:00:00.8",
        }));
        var (alice, bob) = (Track(new CliUser("alice", server.Address)), Track(new CliUser("bob", server.Address)));
        (await alice.RegisterAsync()).Succeeded();
        (await bob.RegisterAsync()).Succeeded();
        var room = (await alice.RunAsync("room", "create", "films")).Succeeded().StdOut.Trim();
        (await alice.RunAsync("room", "invite", room, "bob")).Succeeded();
        (await bob.RunAsync("room", "join", room)).Succeeded();
        // About 375 KB: more than the server's final byte slack, so a report of bytes never streamed cannot hide in it.
        var video = Path.Combine(_files, "clip.mp4");
        await File.WriteAllBytesAsync(video, await TestVideos.MakeAsync(VideoFormat.Mp4, seconds: 3, kilobitsPerSecond: 1000));
        var media = (await alice.RunAsync("send", video, "--room", room, "--json")).Succeeded().JsonLines()[^1].GetProperty("messageId").GetString()!;

        var watched = await bob.RunAsync("watch", media, "--json");
        Assert.True(watched.ExitCode == 0, watched.ToString());
        var record = watched.Json();
        Assert.Equal(PlayVerdicts.Legal, record.GetProperty("verdict").GetString());
        Assert.True(record.GetProperty("counted").GetBoolean());
        Assert.Equal(1, Views(await bob.RunAsync("views", media, "--json")));
        Assert.Equal("1 view", (await bob.RunAsync("views", media)).Succeeded().StdOut.Trim());

        using var carol = await BotUserAsync(server.Address, alice, room);
        var forged = await ReportBots.ForgedAsync(carol, media);
        var replayed = await ReportBots.ReplayingAsync(carol, media);

        Assert.Equal((PlayVerdicts.Illegal, false), (forged.Verdict, forged.Counted));
        Assert.Contains(ViewReasons.TrafficMismatch, forged.Reasons);
        Assert.Equal((PlayVerdicts.Illegal, false), (replayed.Verdict, replayed.Counted));
        Assert.Contains(ViewReasons.CounterReplayed, replayed.Reasons);
        Assert.Equal(1, Views(await alice.RunAsync("views", media, "--json")));
        var records = (await alice.RunAsync("views", media, "--records", "--json")).Succeeded().Json().GetProperty("records").EnumerateArray()
            .Select(r => (r.GetProperty("userName").GetString(), r.GetProperty("verdict").GetString(), r.GetProperty("counted").GetBoolean()))
            .Order().ToList();
        Assert.Equal([("bob", PlayVerdicts.Legal, true), ("carol", PlayVerdicts.Illegal, false), ("carol", PlayVerdicts.Illegal, false)], records);
        var listed = (await alice.RunAsync("views", media, "--records")).Succeeded().StdOut;
        Assert.Contains("(view.counter_replayed)", listed);
        Assert.Contains("(view.traffic_mismatch)", listed);

        var watchedAgain = await bob.RunAsync("watch", media);
        Assert.True(watchedAgain.ExitCode == 0, watchedAgain.ToString());
        Assert.StartsWith("legal: counted as a view; watched 100%", watchedAgain.StdOut.Trim());
    }

    [Fact]
    public async Task Watching_what_is_not_a_video_fails_with_the_servers_code_and_records_are_the_senders()
    {
        var server = Track(await ServerProcess.StartAsync(FreePorts.Next(), _data));
        var (alice, bob) = (Track(new CliUser("alice", server.Address)), Track(new CliUser("bob", server.Address)));
        (await alice.RegisterAsync()).Succeeded();
        (await bob.RegisterAsync()).Succeeded();
        var room = (await alice.RunAsync("room", "create", "notes")).Succeeded().StdOut.Trim();
        (await alice.RunAsync("room", "invite", room, "bob")).Succeeded();
        (await bob.RunAsync("room", "join", room)).Succeeded();
        var text = Path.Combine(_files, "notes.txt");
        await File.WriteAllTextAsync(text, "not a video");
        var media = (await alice.RunAsync("send", text, "--room", room, "--json")).Succeeded().JsonLines()[^1].GetProperty("messageId").GetString()!;

        (await bob.RunAsync("watch", media, "--json")).FailedWith("view.not_video");
        (await bob.RunAsync("views", media, "--records", "--json")).FailedWith("view.records_forbidden");
        (await bob.RunAsync("watch", "m_doesnotexist", "--json")).FailedWith("media.not_found");
    }

    private static long Views(CliRun run) => run.Succeeded().Json().GetProperty("views").GetInt64();

    /// <summary>carol, a member of the room, as a library client with a registered device key (what a bot needs to start plays).</summary>
    private async Task<ParleyClient> BotUserAsync(Uri server, CliUser inviter, string room)
    {
        var client = new ParleyClient(server);
        await client.RegisterAsync("carol", CliUser.Password);
        var session = await client.SignInAsync("carol", CliUser.Password);
        Track(await client.ScanWithNewDeviceAsync(session.UserId, _files));
        (await inviter.RunAsync("room", "invite", room, "carol")).Succeeded();
        await client.JoinAsync(room);
        return client;
    }

    private T Track<T>(T disposable) where T : IDisposable
    {
        _cleanup.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        foreach (var item in Enumerable.Reverse(_cleanup)) item.Dispose();
        try { Directory.Delete(_data, recursive: true); } catch (DirectoryNotFoundException) { }
        Directory.Delete(_files, recursive: true);
    }
}
