using System.Text.Json;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// Alice and Bob, each with their own CLI install, talk through a real <c>parley serve</c> process;
/// then the server is killed and restarted on the same data folder.
/// </summary>
public sealed class TwoUsersTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"parley-e2e-data-{Guid.NewGuid():N}");
    private readonly int _port = FreePorts.Next();
    private readonly List<IDisposable> _cleanup = [];

    [Fact]
    public async Task Two_users_message_each_other_through_a_server_that_survives_a_restart()
    {
        var server = Track(await ServerProcess.StartAsync(_port, _data));
        var alice = Track(new CliUser("alice", server.Address));
        var bob = Track(new CliUser("bob", server.Address));
        var carol = Track(new CliUser("carol", server.Address));

        var registered = (await alice.RegisterAsync()).Succeeded().Json();
        Assert.Equal("alice", registered.GetProperty("userName").GetString());
        var alicesDevice = registered.GetProperty("deviceId").GetString();
        Assert.NotNull(alicesDevice);
        AssertOwnerOnly(Directory.GetFiles(alice.Home, "device-key.pem", SearchOption.AllDirectories).Single());
        (await bob.RegisterAsync()).Succeeded();
        var bobsEvents = bob.Start("listen", "--json");
        await bobsEvents.WaitForStderrAsync(line => line.StartsWith("Listening", StringComparison.Ordinal));

        var room = (await alice.RunAsync("room", "create", "team")).Succeeded().StdOut.Trim();
        Assert.StartsWith("r_", room);
        (await alice.RunAsync("room", "invite", room, "bob", "--json")).Succeeded();
        var invited = await bobsEvents.WaitForJsonAsync(e => e.GetProperty("type").GetString() == "invited");
        Assert.Equal((room, "team", "alice"), (Data(invited, "roomId"), Data(invited, "roomName"), Data(invited, "invitedBy")));
        Assert.Equal(room, (await bob.RunAsync("room", "join", room, "--json")).Succeeded().Json().GetProperty("id").GetString());
        var joined = await bobsEvents.WaitForJsonAsync(e => e.GetProperty("type").GetString() == "memberJoined");
        Assert.Equal((room, "bob"), (Data(joined, "roomId"), Data(joined, "userName")));

        // Bob listens; once it says so, anything sent must reach it.
        var listening = bob.Start("listen", "--room", room, "--json");
        await listening.WaitForStderrAsync(line => line.StartsWith("Listening", StringComparison.Ordinal));
        (await alice.RunAsync("send", "--room", room, "hello bob")).Succeeded();
        var heard = await listening.WaitForJsonAsync(e => e.GetProperty("type").GetString() == "message");
        Assert.Equal(("alice", "hello bob"), (Data(heard, "senderName"), Data(heard, "text")));

        var direct = (await bob.RunAsync("send", "--to", "alice", "hi alice", "--json")).Succeeded().Json();
        Assert.Equal("hi alice", direct.GetProperty("text").GetString());
        Assert.Equal(["hello bob"], Texts(await alice.RunAsync("history", "--room", room, "--json")));
        // The direct room is named after the other person, so alice can name it "bob".
        Assert.Equal(["hi alice"], Texts(await alice.RunAsync("history", "--room", "bob", "--json")));

        (await carol.RegisterAsync()).Succeeded();
        var refused = (await carol.RunAsync("history", "--room", room, "--json")).FailedWith("room.not_member");
        Assert.Equal(403, refused.GetProperty("status").GetInt32());
        var joinUninvited = await carol.RunAsync("room", "join", room);
        Assert.Equal(1, joinUninvited.ExitCode);
        Assert.Contains("(room.not_invited)", joinUninvited.StdErr);

        var heardByAll = await bobsEvents.WaitForJsonAsync(e => e.GetProperty("type").GetString() == "message");
        Assert.Equal("hello bob", Data(heardByAll, "text"));

        listening.Dispose();
        bobsEvents.Dispose();
        server.Dispose();
        server = Track(await ServerProcess.StartAsync(_port, _data));

        Assert.Equal(["hello bob"], Texts(await alice.RunAsync("history", "--room", room, "--json")));
        // Bob's cursor remembers "hello bob" was shown: listening again catches up on the newer message only.
        (await alice.RunAsync("send", "--room", room, "after the restart")).Succeeded();
        var relistening = bob.Start("listen", "--room", room, "--json");
        var caughtUp = await relistening.WaitForJsonAsync(e => e.GetProperty("type").GetString() == "message");
        Assert.Equal("after the restart", Data(caughtUp, "text"));
    }

    [Fact]
    public async Task Signing_out_and_in_again_reuses_the_device_of_this_install()
    {
        var server = Track(await ServerProcess.StartAsync(_port, _data));
        var alice = Track(new CliUser("alice", server.Address));
        var device = (await alice.RegisterAsync()).Succeeded().Json().GetProperty("deviceId").GetString();
        var token = (await alice.RunAsync("token")).Succeeded().StdOut.Trim();
        Assert.StartsWith("pt_", token);

        (await alice.RunAsync("logout", "--json")).Succeeded();
        (await alice.RunAsync("room", "list", "--json")).FailedWith("client.not_signed_in");
        var again = (await alice.RunWithInputAsync(CliUser.Password + "\n", "login", "--user", "alice", "--password-stdin", "--json")).Succeeded().Json();

        Assert.Equal(device, again.GetProperty("deviceId").GetString());
        Assert.NotEqual(token, (await alice.RunAsync("token")).Succeeded().StdOut.Trim());
        (await alice.RunWithInputAsync("wrong password\n", "login", "--user", "alice", "--password-stdin", "--json")).FailedWith("auth.invalid_credentials");
    }

    [Fact]
    public async Task A_device_revoked_from_another_install_is_signed_out_and_registers_anew_at_its_next_login()
    {
        var server = Track(await ServerProcess.StartAsync(_port, _data));
        var laptop = Track(new CliUser("alice", server.Address));
        var phone = Track(new CliUser("alice", server.Address));
        var laptopDevice = (await laptop.RegisterAsync()).Succeeded().Json().GetProperty("deviceId").GetString();
        var phoneDevice = (await Login(phone)).Succeeded().Json().GetProperty("deviceId").GetString();

        var listed = (await phone.RunAsync("devices", "--json")).Succeeded().JsonLines();
        Assert.Equal([(laptopDevice, false), (phoneDevice, true)], listed.Select(d => (d.GetProperty("id").GetString(), d.GetProperty("this").GetBoolean())));

        Assert.False((await phone.RunAsync("devices", "revoke", laptopDevice!, "--json")).Succeeded().Json().GetProperty("signedOut").GetBoolean());
        (await laptop.RunAsync("room", "list", "--json")).FailedWith("auth.invalid_token");
        var laptopAgain = (await Login(laptop)).Succeeded().Json().GetProperty("deviceId").GetString();
        Assert.NotEqual(laptopDevice, laptopAgain);

        // Revoking this install's own device signs it out here as well.
        Assert.True((await phone.RunAsync("devices", "revoke", phoneDevice!, "--json")).Succeeded().Json().GetProperty("signedOut").GetBoolean());
        (await phone.RunAsync("room", "list", "--json")).FailedWith("client.not_signed_in");
        (await laptop.RunAsync("devices", "revoke", phoneDevice!, "--json")).FailedWith("device.not_found");
        Assert.Equal([laptopAgain], (await laptop.RunAsync("devices", "--json")).Succeeded().JsonLines().Select(d => d.GetProperty("id").GetString()));
    }

    private static Task<CliRun> Login(CliUser user) =>
        user.RunWithInputAsync(CliUser.Password + "\n", "login", "--user", user.Name, "--password-stdin", "--json");

    private static string? Data(JsonElement liveEvent, string member) => liveEvent.GetProperty("data").GetProperty(member).GetString();

    private static string[] Texts(CliRun history) =>
        history.Succeeded().JsonLines().Select(m => m.GetProperty("text").GetString()!).ToArray();

    private static void AssertOwnerOnly(string path)
    {
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    private T Track<T>(T disposable) where T : IDisposable
    {
        _cleanup.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        // Processes first (users' listeners, then servers), then the data they held open.
        foreach (var item in Enumerable.Reverse(_cleanup)) item.Dispose();
        try { Directory.Delete(_data, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
