using Parley.Client;
using Parley.Testing;

namespace Parley.Client.Tests;

/// <summary>A signed-in test user and its client.</summary>
public sealed record TestUser(string Name, string Id, ParleyClient Client);

/// <summary>One real server per test class; tests isolate themselves by registering fresh users.</summary>
public class ServerFixture : IAsyncLifetime
{
    public const string Password = "correct horse battery";

    /// <summary>How long a test waits for something that should happen at once; generous for a loaded CI machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly List<IDisposable> _owned = [];
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-client-fixture-").FullName;

    public RunningServer Server { get; private set; } = null!;

    /// <summary>More configuration for the server of a test class's own fixture.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings => [];

    public async Task InitializeAsync() =>
        // Every test signs in from 127.0.0.1: the per-address sign-in limit would otherwise throttle the suite.
        Server = await RunningServer.StartAsync(new Dictionary<string, string>(Settings) { ["Parley:SignIn:PermitLimit"] = "100000" });

    public static string UniqueName(string prefix) => $"{prefix}{Guid.NewGuid().ToString("N")[..10]}";

    public ParleyClient NewClient(string? token = null, Uri? server = null) => Own(new ParleyClient(server ?? Server.BaseAddress, token));

    /// <summary>Another client of <paramref name="user"/>'s session (same token, same device key) whose requests go through <paramref name="handler"/>.</summary>
    public ParleyClient NewClient(TestUser user, HttpMessageHandler handler) =>
        Own(new ParleyClient(Server.BaseAddress, user.Client.Token, handler) { Scanning = user.Client.Scanning });

    /// <summary>
    /// A signed-in user whose session has a registered device key and whose client scans every share, as the server
    /// requires a local security identifier on every share (docs/scanning.md, "The client side").
    /// </summary>
    public async Task<TestUser> NewUserAsync(string prefix = "user")
    {
        var user = await NewUserWithoutDeviceAsync(prefix);
        Own(await user.Client.ScanWithNewDeviceAsync(user.Id, _folder));
        return user;
    }

    /// <summary>A signed-in user whose session has no device yet: it can talk, not share media.</summary>
    public async Task<TestUser> NewUserWithoutDeviceAsync(string prefix = "user")
    {
        var client = NewClient();
        var name = UniqueName(prefix);
        await client.RegisterAsync(name, Password);
        var session = await client.SignInAsync(name, Password);
        return new TestUser(session.UserName, session.UserId, client);
    }

    /// <summary>A group room owned by <paramref name="owner"/> that each of <paramref name="members"/> has joined.</summary>
    public static async Task<string> NewRoomAsync(TestUser owner, params TestUser[] members)
    {
        var room = await owner.Client.CreateRoomAsync(UniqueName("room "));
        foreach (var member in members)
        {
            await owner.Client.InviteAsync(room.Id, member.Name);
            await member.Client.JoinAsync(room.Id);
        }
        return room.Id;
    }

    private T Own<T>(T disposable) where T : IDisposable
    {
        lock (_owned) _owned.Add(disposable);
        return disposable;
    }

    public async Task DisposeAsync()
    {
        foreach (var item in _owned) item.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
