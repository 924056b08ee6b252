using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Parley.Testing;

namespace Parley.Web.Tests;

/// <summary>
/// One Parley server (real Kestrel, real SQLite, the web client from wwwroot) and one headless
/// Chromium, shared by the browser tests. Each test opens its own browser contexts, which share no
/// storage, so every context is a separate user on a separate device.
/// </summary>
public sealed class WebAppFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium (see shared/PLATFORM-NOTES.md); PARLEY_CHROMIUM points elsewhere.</summary>
    private static readonly string ChromiumPath = Environment.GetEnvironmentVariable("PARLEY_CHROMIUM") ?? "/usr/bin/chromium";

    private IPlaywright? _playwright;

    /// <summary>The server's media size limit: above the largest file a test sends, low enough that a test can exceed it cheaply.</summary>
    public const long MaxBlobBytes = 25L * 1024 * 1024;

    public RunningServer Server { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var webRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot", "index.html");
        if (!File.Exists(webRoot))
            throw new InvalidOperationException($"The web client is not beside the tests ({webRoot} is missing); Parley.Server.csproj copies web/** to wwwroot.");
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"No Chromium at {ChromiumPath}: apt-get install -y chromium, or set PARLEY_CHROMIUM.");

        // Every test registers and signs in through the page from one address; the default limit
        // (10 a minute) would throttle the suite, and full-strength password hashing would only
        // slow it down: neither is what these tests are about.
        Server = await RunningServer.StartAsync(
            new Dictionary<string, string>
            {
                ["Parley:SignIn:PermitLimit"] = "1000",
                ["Parley:Transfer:MaxBlobBytes"] = MaxBlobBytes.ToString(),
                // The scanned-sharing tests' operators (they register these names; no other test does).
                ["Parley:Operators:0"] = ScannedSharingTests.QuarantineOperator,
                ["Parley:Operators:1"] = ScannedSharingTests.ReleaseOperator,
                ["Parley:Operators:2"] = ScannedSharingTests.RecheckOperator,
                ["Parley:Operators:3"] = ScannedSharingTests.ImportOperator,
            },
            configureServices: services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1000));

        // Chromium on a busy 2-core machine (another build running, say) can be slow to paint.
        SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        // No user-data-dir argument: Playwright gives every launch a fresh temporary profile of its
        // own, and refuses one passed in the arguments.
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class WebAppCollection : ICollectionFixture<WebAppFixture>
{
    public const string Name = "web app";
}
