using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Passphrase;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Web.Tests;

/// <summary>
/// T1 and T2 as the page shows them: a server of the test's own whose clock the test moves, so the
/// relay's timer ends the session (pakeFailed to both) without anyone waiting two minutes.
/// </summary>
public sealed class PassphraseTimeoutTests(WebAppFixture app, ITestOutputHelper output) : BrowserTest(app, output), IAsyncLifetime
{
    private const string Passphrase = "purple monkey dishwasher";
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan ConfirmTimeout = TimeSpan.FromMinutes(3);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private RunningServer _server = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        _server = await RunningServer.StartAsync(
            new Dictionary<string, string>
            {
                ["Parley:Passphrase:AnswerTimeout"] = AnswerTimeout.ToString(),
                ["Parley:Passphrase:ConfirmTimeout"] = ConfirmTimeout.ToString(),
            },
            configureServices: services =>
            {
                services.AddSingleton<TimeProvider>(_clock);
                services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1000);
            });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public Task An_unanswered_request_fails_at_t1_on_both_pages() => RunAsync(async () =>
    {
        var (alice, _) = await UserAsync("alice");
        var (bob, bobName) = await UserAsync("bob");
        var alicesDialog = new PassphraseDialog(alice);
        var bobsDialog = new PassphraseDialog(bob);

        await alicesDialog.OpenAsync();
        await alicesDialog.AskAsync(bobName, Passphrase);
        await Expect(alicesDialog.Status).ToHaveTextAsync($"Waiting for {bobName} to answer with the same passphrase…");
        await Expect(bobsDialog.RequestsCount).ToHaveTextAsync("1");

        _clock.Advance(AnswerTimeout + TimeSpan.FromSeconds(1));

        await Expect(alicesDialog.Error).ToHaveTextAsync("The passphrase session failed: no answer in time (passphrase.timeout_t1).");
        // The request is gone from bob's page: there is nothing left to answer.
        await Expect(bobsDialog.RequestsCount).ToHaveTextAsync("");
        await bobsDialog.OpenAsync();
        await Expect(bobsDialog.Requests).ToHaveCountAsync(0);
    });

    [Fact]
    public Task An_answer_never_confirmed_fails_at_t2_on_the_answering_page() => RunAsync(async () =>
    {
        var (alice, aliceName) = await UserAsync("alice");
        var (bob, bobName) = await UserAsync("bob");
        var bobsDialog = new PassphraseDialog(bob);
        // Alice opens the session through the API and then goes silent: she never confirms.
        using var alicesApi = await SignedInAsync(alice);
        var share = Spake2.Start(Spake2Role.A, PassphraseSecret.Derive(Passphrase, aliceName, bobName)).Share.ToArray();
        (await alicesApi.PostAsJsonAsync("/api/passphrase/sessions", new { to = bobName, share = Convert.ToBase64String(share) })).EnsureSuccessStatusCode();

        await bobsDialog.OpenAsync();
        var answer = await bob.Page.RunAndWaitForResponseAsync(
            () => bobsDialog.AcceptAsync(aliceName, Passphrase),
            response => response.Url.EndsWith("/answer", StringComparison.Ordinal));
        Assert.Equal(200, answer.Status);

        _clock.Advance(ConfirmTimeout + TimeSpan.FromSeconds(1));

        await Expect(bobsDialog.Error).ToHaveTextAsync("The passphrase session failed: not confirmed in time (passphrase.timeout_t2).");
        await Expect(bob.Page.GetByTestId("passphrase-ask")).ToBeEnabledAsync();
    });

    private async Task<(ParleyPage Page, string Name)> UserAsync(string prefix)
    {
        var page = await OpenAsync(prefix, _server.BaseAddress);
        var name = UniqueName(prefix);
        await page.RegisterAsync(name);
        return (page, name);
    }

    private async Task<HttpClient> SignedInAsync(ParleyPage page)
    {
        var http = _server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await page.StoredSessionAsync()).GetProperty("token").GetString());
        return http;
    }
}
