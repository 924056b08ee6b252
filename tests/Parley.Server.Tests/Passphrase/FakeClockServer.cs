using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Testing;

namespace Parley.Server.Tests.Passphrase;

/// <summary>A server of one test's own, whose clock the test moves: T1, T2 and the limits' windows pass without sleeping.</summary>
public sealed class FakeClockServer : IAsyncDisposable
{
    private readonly RunningServer _server;

    private FakeClockServer(RunningServer server, FakeTimeProvider clock)
    {
        _server = server;
        Clock = clock;
        Api = new Api(server);
    }

    public FakeTimeProvider Clock { get; }
    public Api Api { get; }

    public static async Task<FakeClockServer> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-22T12:00:00Z"));
        var server = await RunningServer.StartAsync(settings, configureServices: services => services.AddSingleton<TimeProvider>(clock));
        return new FakeClockServer(server, clock);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
