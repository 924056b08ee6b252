using Parley.Testing;

namespace Parley.Server.Tests.Scanning;

/// <summary>
/// A server with one operator (<c>Parley:Operators</c>), who may publish features. Its quarantine sweeper runs when a
/// version is published, and otherwise not for an hour, so tests that change versions in the database decide when it runs.
/// </summary>
public sealed class LibraryFixture : IAsyncLifetime
{
    private string OperatorName { get; } = Api.UniqueName("op");
    public RunningServer Server { get; private set; } = null!;
    public Api Api { get; private set; } = null!;
    public TestUser Operator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await RunningServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Operators:0"] = OperatorName,
            ["Parley:Scanning:RescanEvery"] = "01:00:00",
        });
        Api = new Api(Server);
        Operator = await Api.NamedUser(OperatorName);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
