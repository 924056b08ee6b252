using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Xunit.Abstractions;

namespace Parley.Web.Tests;

/// <summary>
/// Opens users' tabs on the shared server and browser, closes them after the test, and on a
/// failure saves a screenshot of every tab to screenshots/ beside the test assembly. Files a test
/// writes for the page to send are deleted after it.
/// </summary>
[Collection(WebAppCollection.Name)]
public abstract class BrowserTest(WebAppFixture app, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly List<(string Label, IBrowserContext Context, IPage Page)> _tabs = [];
    private readonly List<string> _pageErrors = [];
    private readonly List<string> _tempFolders = [];

    protected WebAppFixture App => app;

    /// <summary>Where a test writes what it measured.</summary>
    protected ITestOutputHelper Output => output;

    /// <summary>A user name no other test uses (names are 3–32 of a-z, 0-9, '-').</summary>
    protected static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>A new tab in a context of its own (own localStorage and IndexedDB: another browser, in effect).</summary>
    /// <param name="server">The server whose page it opens: the shared one unless a test started its own.</param>
    protected async Task<ParleyPage> OpenAsync(string label, Uri? server = null)
    {
        var context = await app.Browser.NewContextAsync(new()
        {
            BaseURL = (server ?? app.Server.BaseAddress).ToString(),
            ViewportSize = new() { Width = 1280, Height = 800 },
        });
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => _pageErrors.Add($"{label}: {error}");
        _tabs.Add((label, context, page));
        await page.GotoAsync("/");
        return new ParleyPage(page);
    }

    /// <summary>The address of the server the pages talk to, for tests that also act through the API.</summary>
    protected Uri ServerAddress => app.Server.BaseAddress;

    /// <summary>An API client with the token the page signed in with.</summary>
    protected async Task<HttpClient> SignedInHttpClientAsync(ParleyPage page)
    {
        var session = await page.StoredSessionAsync();
        var http = app.Server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("token").GetString());
        return http;
    }

    /// <summary>Two registered users, both members of a new room that each has open.</summary>
    protected async Task<(ParleyPage Alice, ParleyPage Bob)> TwoMembersAsync(string roomName) =>
        await TwoMembersAsync(roomName, await OpenAsync("alice"), await OpenAsync("bob"));

    /// <summary>The same on tabs already open (a test may route their traffic before they sign in).</summary>
    protected static async Task<(ParleyPage Alice, ParleyPage Bob)> TwoMembersAsync(string roomName, ParleyPage alice, ParleyPage bob)
    {
        var bobName = UniqueName("bob");
        await alice.RegisterAsync(UniqueName("alice"));
        await bob.RegisterAsync(bobName);
        await alice.CreateRoomAsync(roomName);
        await alice.InviteAsync(bobName);
        await bob.Invitation(roomName).GetByTestId("join").ClickAsync();
        await Expect(bob.RoomTitle).ToHaveTextAsync(roomName);
        await Expect(alice.Members).ToHaveCountAsync(2);
        return (alice, bob);
    }

    /// <summary>A file on disk for the page to pick (large ones go by path, not through the driver's pipe).</summary>
    protected string WriteTempFile(string name, byte[] bytes)
    {
        var folder = Path.Combine(Path.GetTempPath(), "parley-web-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        _tempFolders.Add(folder);
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Runs the test's steps; an uncaught error in any page's script fails the test too.</summary>
    protected async Task RunAsync(Func<Task> steps, [CallerMemberName] string test = "")
    {
        try
        {
            await steps();
            Assert.True(_pageErrors.Count == 0, "Script errors in the page:\n" + string.Join("\n", _pageErrors));
        }
        catch
        {
            await SaveScreenshotsAsync(test);
            throw;
        }
    }

    private async Task SaveScreenshotsAsync(string test)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        foreach (var (label, _, page) in _tabs)
        {
            var path = Path.Combine(folder, $"{test}-{label}.png");
            try
            {
                await page.ScreenshotAsync(new() { Path = path, FullPage = true });
                output.WriteLine($"Screenshot of {label}'s tab: {path}");
            }
            catch (PlaywrightException e)
            {
                output.WriteLine($"No screenshot of {label}'s tab: {e.Message}");
            }
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var (_, context, _) in _tabs) await context.CloseAsync();
        foreach (var folder in _tempFolders) Directory.Delete(folder, recursive: true);
    }
}
