namespace Parley.EndToEnd.Tests;

/// <summary><c>parley room decline</c> against a real server.</summary>
public sealed class InvitationCliTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"parley-e2e-data-{Guid.NewGuid():N}");
    private readonly List<IDisposable> _cleanup = [];

    [Fact]
    public async Task A_declined_invitation_leaves_the_list_and_no_longer_lets_one_join()
    {
        var server = Track(await ServerProcess.StartAsync(ServerProcess.FreePort(), _data));
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
