using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Parley.Client;
using Parley.Core.Messaging;
using Parley.EndToEnd.Tests.Broadcast;
using Parley.EndToEnd.Tests.Passphrase;
using Parley.Testing.Scanning;

namespace Parley.EndToEnd.Tests.Cluster;

/// <summary>
/// Three <c>parley serve</c> processes on one PostgreSQL (<c>--store</c>), one Redis (<c>--bus</c>) and one media
/// folder (<c>--media</c>), each with a data folder of its own, and each user talking to a different node, as
/// behind a load balancer (docs/deployment.md).
/// </summary>
public sealed class ClusterTests : IAsyncLifetime
{
    private const int NodeCount = 3;
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"parley-e2e-cluster-{Guid.NewGuid():N}");
    private readonly string _scratch = Directory.CreateTempSubdirectory("parley-e2e-cluster-files-").FullName;
    private readonly List<IDisposable> _cleanup = [];
    private RedisServer _redis = null!;
    private readonly List<ServerProcess> _nodes = [];

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        var database = await (await TestPostgres.InstanceAsync()).DatabaseAsync("parley_cluster_" + Guid.NewGuid().ToString("N")[..12]);
        // All at once, as an orchestrator starts them: one node migrates the new database and makes the shared
        // secrets while the others wait for its lock or read what it stored.
        var starting = Enumerable.Range(0, NodeCount).Select(i => ServerProcess.StartAsync(FreePorts.Next(), Path.Combine(_data, $"node{i}"),
            "--store", database, "--media", Path.Combine(_data, "media"), "--bus", _redis.Connection,
            // The posters of the kill test post as fast as the nodes answer, on purpose; the rate limits are tested elsewhere.
            "--Parley:Rates:MessagesPerSecond", "1000", "--Parley:Rates:MessageBurst", "1000")).ToList();
        try
        {
            await Task.WhenAll(starting);
        }
        finally
        {
            // Nodes that did start are stopped at the end even if another failed to.
            _nodes.AddRange(starting.Where(t => t.IsCompletedSuccessfully).Select(t => Track(t.Result)));
        }
    }

    [Fact]
    public async Task Users_on_three_nodes_chat_share_files_and_broadcast_pictures()
    {
        var alice = Track(new CliUser("alice", _nodes[0].Address));
        var bob = Track(new CliUser("bob", _nodes[1].Address));
        foreach (var user in new[] { alice, bob }) (await user.RegisterAsync()).Succeeded();
        // Carol uses the .NET library on node 3 (fewer processes to start, the same HTTP API).
        using var carol = new ParleyClient(_nodes[2].Address);
        await carol.RegisterAsync("carol", CliUser.Password);
        await carol.SignInAsync("carol", CliUser.Password);
        var room = (await alice.RunAsync("room", "create", "cluster")).Succeeded().StdOut.Trim();
        (await alice.RunAsync("room", "invite", room, bob.Name)).Succeeded();
        (await bob.RunAsync("room", "join", room)).Succeeded();
        (await alice.RunAsync("room", "invite", room, "carol")).Succeeded();
        await carol.JoinAsync(room);
        var saved = Path.Combine(_scratch, "bob-saved");
        var listening = bob.Start("listen", "--room", room, "--json", "--save", saved);
        await listening.WaitForStderrAsync(line => line.StartsWith("Listening", StringComparison.Ordinal));

        await carol.SendToRoomAsync(room, "hello from node 3");
        Assert.Equal("hello from node 3", Text(await NextMessage(listening), "text"));

        var file = Path.Combine(_scratch, "noise.png");
        NoisePictures.WritePng(file, 300_000);
        (await alice.RunAsync("send", file, "--room", room)).Succeeded();
        Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(Text(await NextSaved(listening), "path")!));

        var picture = TestPictures.WritePng(Path.Combine(_scratch, "picture.png"));
        var sent = (await alice.RunAsync("broadcast", picture, "--room", room, "--json")).Succeeded().Json();
        Assert.Equal(2, sent.GetProperty("reached").GetInt32());
        Assert.Equal(sent.GetProperty("messageId").GetString(), Text(await NextMessage(listening), "id"));
        Assert.Equal(await File.ReadAllBytesAsync(picture), await File.ReadAllBytesAsync(Text(await NextSaved(listening), "path")!));
    }

    [Fact]
    public async Task A_passphrase_session_between_users_on_two_nodes_carries_lines_both_ways()
    {
        var alice = Track(new CliUser("alice", _nodes[0].Address));
        var bob = Track(new CliUser("bob", _nodes[1].Address));
        foreach (var user in new[] { alice, bob }) (await user.RegisterAsync()).Succeeded();
        var passphrase = Path.Combine(_scratch, "passphrase.txt");
        await File.WriteAllTextAsync(passphrase, "correct pony staple cluster");
        var bobsTalk = Track(TalkProcess.Start(bob, _nodes[1].Address, "--accept", "--passphrase-file", passphrase));
        await bobsTalk.StatusAsync("waiting for a request");
        var alicesTalk = Track(TalkProcess.Start(alice, _nodes[0].Address, "--to", "bob", "--passphrase-file", passphrase));
        Assert.Equal("bob", Text(await alicesTalk.NextEventAsync("connected"), "peer"));
        Assert.Equal("alice", Text(await bobsTalk.NextEventAsync("connected"), "peer"));
        await alicesTalk.TypeAsync("across two nodes");
        Assert.Equal("across two nodes", Text(await bobsTalk.NextEventAsync("message"), "text"));
        await bobsTalk.TypeAsync("heard you");
        Assert.Equal("heard you", Text(await alicesTalk.NextEventAsync("message"), "text"));
    }

    [Fact]
    public async Task Signing_out_on_node_1_closes_the_live_connection_on_node_3()
    {
        using var atThree = new ParleyClient(_nodes[2].Address);
        await atThree.RegisterAsync("carol", CliUser.Password);
        var session = await atThree.SignInAsync("carol", CliUser.Password);
        // No reconnection attempts: the test wants the close itself, not a retry that the server refuses.
        await using var live = new ParleyLive(atThree, new NoRetry());
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        live.Closed += _ => closed.TrySetResult();
        await live.StartAsync();

        using var atOne = new ParleyClient(_nodes[0].Address, session.Token);
        await atOne.SignOutAsync();

        await closed.Task.WaitAsync(ParleyProgram.Patience);
    }

    [Fact]
    public async Task Killing_a_node_mid_traffic_loses_no_acknowledged_message_and_sequence_numbers_stay_gap_free()
    {
        const int PerPoster = 30;
        var posters = new List<ParleyClient>();
        for (var i = 0; i < NodeCount; i++)
        {
            var client = Track(new ParleyClient(_nodes[i].Address));
            await client.RegisterAsync($"poster{i}", CliUser.Password);
            await client.SignInAsync($"poster{i}", CliUser.Password);
            posters.Add(client);
        }
        var room = await posters[0].CreateRoomAsync("busy");
        foreach (var poster in posters.Skip(1))
        {
            await posters[0].InviteAsync(room.Id, (await poster.GetMeAsync()).UserName);
            await poster.JoinAsync(room.Id);
        }
        // A listener on node 3 hears everything, wherever it was posted, before and after the kill.
        await using var listener = new ParleyLive(posters[2]);
        var heard = new ConcurrentDictionary<string, byte>();
        listener.MessageReceived += message => heard.TryAdd(message.Id, 0);
        await listener.StartAsync();

        var acknowledged = new ConcurrentBag<MessageDto>();
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task Post(int node)
        {
            for (var n = 0; n < PerPoster; n++)
            {
                if (node == 0 && n == PerPoster / 2) halfway.TrySetResult();
                try
                {
                    acknowledged.Add(await posters[node].SendToRoomAsync(room.Id, $"node {node} message {n}", clientMessageId: $"{node}-{n}"));
                }
                catch (Exception e) when (node == 1 && e is HttpRequestException or ParleyApiException)
                {
                    return; // node 2 was killed: its client stops, the others carry on
                }
            }
        }
        var posting = Enumerable.Range(0, NodeCount).Select(Post).ToList();
        await halfway.Task;
        _nodes[1].Dispose(); // Process.Kill: SIGKILL, no shutdown
        await Task.WhenAll(posting);

        var stored = new List<MessageDto>();
        for (MessagePage page; ; )
        {
            page = await posters[0].GetHistoryAsync(room.Id, after: stored.Count == 0 ? 0 : stored[^1].Seq, limit: 100);
            stored.AddRange(page.Messages);
            if (!page.HasMore) break;
        }
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(n => (long)n), stored.Select(m => m.Seq));
        Assert.Equal(stored.Count, stored.Select(m => m.Id).Distinct().Count());
        Assert.Subset(stored.Select(m => m.Id).ToHashSet(), acknowledged.Select(m => m.Id).ToHashSet());
        Assert.Equal(2 * PerPoster, acknowledged.Count(m => !m.Text.StartsWith("node 1 ", StringComparison.Ordinal)));
        // Live delivery on node 3 carried on past the kill: the last message posted through node 1 arrives.
        var last = acknowledged.Single(m => m.Text == $"node 0 message {PerPoster - 1}");
        await WaitUntil(() => heard.ContainsKey(last.Id));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + ParleyProgram.Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The expected live message did not arrive.");
            await Task.Delay(50);
        }
    }

    private static async Task<JsonElement> NextMessage(RunningCli listening) =>
        (await listening.WaitForJsonAsync(e => e.GetProperty("type").GetString() == "message")).GetProperty("data");

    private static async Task<JsonElement> NextSaved(RunningCli listening) =>
        (await listening.WaitForJsonAsync(e => e.GetProperty("type").GetString() == "saved")).GetProperty("data");

    private static string? Text(JsonElement element, string member) => element.GetProperty(member).GetString();

    private sealed class NoRetry : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext retryContext) => null;
    }

    private T Track<T>(T disposable) where T : IDisposable
    {
        _cleanup.Add(disposable);
        return disposable;
    }

    public async Task DisposeAsync()
    {
        foreach (var item in Enumerable.Reverse(_cleanup)) item.Dispose();
        await _redis.DisposeAsync();
        try { Directory.Delete(_data, recursive: true); } catch (DirectoryNotFoundException) { }
        Directory.Delete(_scratch, recursive: true);
    }
}
