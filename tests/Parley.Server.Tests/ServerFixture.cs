using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>One real server per test class; tests isolate themselves by registering fresh users.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public RunningServer Server { get; private set; } = null!;
    public Api Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await RunningServer.StartAsync();
        Api = new Api(Server);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
