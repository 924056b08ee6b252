using System.Text.Json;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// The chat basics in the CLI, as two users' installs against a real server: <c>parley reply</c>, <c>edit</c> and
/// <c>delete</c> by message id, and <c>parley room decline</c>.
/// </summary>
public sealed class ChatCliTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"parley-e2e-data-{Guid.NewGuid():N}");
    private readonly List<IDisposable> _cleanup = [];

    [Fact]
    public async Task Replies_edits_and_deletions_by_message_id_show_in_history_and_live()
    {
        var server = Track(await ServerProcess.StartAsync(FreePorts.Next(), _data));
        var alice = Track(new CliUser("alice", server.Address));
        var bob = Track(new CliUser("bob", server.Address));
        (await alice.RegisterAsync()).Succeeded();
        (await bob.RegisterAsync()).Succeeded();
        var room = (await alice.RunAsync("room", "create", "team")).Succeeded().StdOut.Trim();
        (await alice.RunAsync("room", "invite", room, "bob")).Succeeded();
        (await bob.RunAsync("room", "join", room)).Succeeded();
        var listening = Track(bob.Start("listen", "--room", room, "--json"));
        await listening.WaitForStderrAsync(line => line.StartsWith("Listening", StringComparison.Ordinal));

        var question = (await alice.RunAsync("send", "--room", room, "lunch at noon?", "--json")).Succeeded().Json().GetProperty("id").GetString()!;
        var reply = (await bob.RunAsync("reply", question, "yes", "please", "--json")).Succeeded().Json();
        Assert.Equal((question, "yes please"), (reply.GetProperty("replyToId").GetString(), reply.GetProperty("text").GetString()));
        (await alice.RunAsync("edit", question, "lunch at one?")).Succeeded();
        var edited = await listening.WaitForJsonAsync(e => Data(e, "kind") == "edit");
        Assert.Equal((question, "lunch at one?"), (Data(edited, "targetId"), Data(edited, "text")));

        (await bob.RunAsync("edit", question, "no lunch", "--json")).FailedWith("message.not_sender");
        (await bob.RunAsync("delete", question, "--json")).FailedWith("message.not_sender");
        (await alice.RunAsync("delete", question, "--json")).Succeeded();
        var deleted = await listening.WaitForJsonAsync(e => Data(e, "kind") == "delete");
        Assert.Equal(question, Data(deleted, "targetId"));
        (await alice.RunAsync("edit", question, "back", "--json")).FailedWith("message.deleted");

        var history = (await bob.RunAsync("history", "--room", room, "--json")).Succeeded().JsonLines();
        Assert.Equal(["message", "message", "edit", "delete"], history.Select(m => m.GetProperty("kind").GetString()));
        Assert.Equal(("", question), (history[0].GetProperty("text").GetString(), history[1].GetProperty("replyToId").GetString()));
        Assert.NotEqual(JsonValueKind.Null, history[0].GetProperty("deletedAt").ValueKind);
        var readable = (await bob.RunAsync("history", "--room", room)).Succeeded().StdOut;
        Assert.Contains("alice: (deleted)", readable);
        Assert.Contains($"↪ {question} bob: yes please", readable);
    }

    [Fact]
    public async Task A_declined_invitation_leaves_the_list_and_no_longer_lets_one_join()
    {
        var server = Track(await ServerProcess.StartAsync(FreePorts.Next(), _data));
        var alice = Track(new CliUser("alice", server.Address));
        var bob = Track(new CliUser("bob", server.Address));
        (await alice.RegisterAsync()).Succeeded();
        (await bob.RegisterAsync()).Succeeded();
        var room = (await alice.RunAsync("room", "create", "party")).Succeeded().StdOut.Trim();
        (await alice.RunAsync("room", "invite", room, "bob")).Succeeded();

        Assert.Contains("Declined", (await bob.RunAsync("room", "decline", room)).Succeeded().StdOut);

        Assert.DoesNotContain(room, (await bob.RunAsync("room", "list", "--json")).Succeeded().StdOut);
        (await bob.RunAsync("room", "join", room, "--json")).FailedWith("room.not_invited");
        (await bob.RunAsync("room", "decline", room, "--json")).FailedWith("room.not_invited");
    }

    private static string? Data(JsonElement liveEvent, string member) =>
        liveEvent.GetProperty("data").TryGetProperty(member, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private T Track<T>(T disposable) where T : IDisposable
    {
        _cleanup.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        foreach (var item in Enumerable.Reverse(_cleanup)) item.Dispose();
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }
}
