using Parley.Testing;

namespace Parley.Server.Tests.Scanning;

/// <summary>A server with one operator (<c>Parley:Operators</c>), who may publish features.</summary>
public sealed class LibraryFixture : IAsyncLifetime
{
    private string OperatorName { get; } = Api.UniqueName("op");
    public RunningServer Server { get; private set; } = null!;
    public Api Api { get; private set; } = null!;
    public TestUser Operator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Operators:0"] = OperatorName });
        Api = new Api(Server);
        Operator = await Api.NamedUser(OperatorName);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
