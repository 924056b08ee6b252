using System.Security.Cryptography;
using System.Text.Json;
using Parley.EndToEnd.Tests;
using Parley.EndToEnd.Tests.Passphrase;
using Xunit.Abstractions;

namespace Parley.Web.Tests;

/// <summary>
/// Passphrase sessions between the page and <c>parley talk</c> (a real CLI process against the same
/// server): each side runs its own SPAKE2 and channel (JavaScript in Chromium, .NET in the CLI), so
/// a line or a file that arrives intact proves the two implementations agree on every byte, in
/// both roles and both modes.
/// </summary>
public sealed class PassphraseInteropTests(WebAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private const string Passphrase = "purple monkey dishwasher";

    /// <summary>Where the pictures of the dialog's views are announced.</summary>
    private readonly ITestOutputHelper _views = output;

    [Fact]
    public Task A_browser_user_asks_a_cli_user_by_name_and_they_talk_both_ways() => RunAsync(async () =>
    {
        using var bob = await CliUserAsync("bob");
        using var bobsTalk = TalkProcess.Start(bob, ServerAddress, "--accept", "--passphrase-file", PassphraseFile(Passphrase));
        await bobsTalk.StatusAsync("waiting for a request");
        var (alice, aliceName) = await BrowserUserAsync("alice");
        var dialog = new PassphraseDialog(alice);

        await dialog.OpenAsync();
        await dialog.AskAsync(bob.Name, Passphrase);

        Assert.Equal(aliceName, Member(await bobsTalk.NextEventAsync("connected"), "peer"));
        await dialog.ExpectConnectedAsync(bob.Name);
        var toBob = $"hello from the browser {Guid.NewGuid():N}";
        await dialog.SayAsync(toBob);
        var heard = await bobsTalk.NextEventAsync("message");
        Assert.Equal((aliceName, toBob), (Member(heard, "from"), Member(heard, "text")));
        var toAlice = $"hello from the terminal {Guid.NewGuid():N}";
        await bobsTalk.TypeAsync(toAlice);
        await Expect(dialog.LinesFrom(bob.Name)).ToHaveTextAsync(bob.Name + toAlice);

        await alice.Page.GetByTestId("passphrase-leave").ClickAsync();
        Assert.Equal(aliceName, Member(await bobsTalk.NextEventAsync("left"), "peer"));
        Assert.Equal(0, await bobsTalk.ExitCodeAsync());
    });

    [Fact]
    public Task A_cli_user_asks_a_browser_user_who_accepts_and_receives_a_file_decrypted() => RunAsync(async () =>
    {
        var (bob, bobName) = await BrowserUserAsync("bob");
        var dialog = new PassphraseDialog(bob);
        using var alice = await CliUserAsync("alice");
        var content = RandomNumberGenerator.GetBytes(150_000); // three chunks of the file cipher, the last one short
        var file = WriteTempFile("field notes.bin", content);

        using var alicesTalk = TalkProcess.Start(alice, ServerAddress, "--to", bobName, "--passphrase-file", PassphraseFile(Passphrase));
        // The request arrives live: the sidebar counts it, and the dialog lists it to answer.
        await Expect(dialog.RequestsCount).ToHaveTextAsync("1");
        await dialog.OpenAsync();
        await Expect(dialog.Requests).ToContainTextAsync($"{alice.Name} asks you for a passphrase session.");
        _views.WriteLine($"A request, as the page shows it: {await dialog.SaveViewAsync("request")}");
        await dialog.AcceptAsync(alice.Name, Passphrase);

        Assert.Equal(bobName, Member(await alicesTalk.NextEventAsync("connected"), "peer"));
        await dialog.ExpectConnectedAsync(alice.Name);
        await alicesTalk.TypeAsync("first a line");
        await Expect(dialog.LinesFrom(alice.Name)).ToHaveTextAsync(alice.Name + "first a line");
        await dialog.SayAsync("and one back");
        Assert.Equal("and one back", Member(await alicesTalk.NextEventAsync("message"), "text"));

        await alicesTalk.TypeAsync($"/file {file}");
        await Expect(dialog.FileOffers).ToContainTextAsync("field notes.bin");
        var download = await bob.Page.RunAndWaitForDownloadAsync(() => dialog.FileOffers.GetByTestId("passphrase-save-file").ClickAsync());
        Assert.Equal("field notes.bin", download.SuggestedFilename);
        Assert.Equal(content, await File.ReadAllBytesAsync((await download.PathAsync())!));
        _views.WriteLine($"A conversation with a file received: {await dialog.SaveViewAsync("conversation")}");

        alicesTalk.EndInput();
        Assert.Equal(0, await alicesTalk.ExitCodeAsync());
        await Expect(dialog.Status).ToHaveTextAsync($"{alice.Name} ended the session.");
    });

    [Fact]
    public Task A_cli_user_generates_a_code_a_browser_user_enters_it_and_sends_a_file_the_cli_saves() => RunAsync(async () =>
    {
        using var alice = await CliUserAsync("alice");
        var received = Directory.CreateTempSubdirectory("parley-web-received-").FullName;
        try
        {
            using var alicesTalk = TalkProcess.Start(alice, ServerAddress, "--generate", "--save", received);
            var code = Member(await alicesTalk.NextEventAsync("code"), "code")!;
            var (bob, bobName) = await BrowserUserAsync("bob");
            var dialog = new PassphraseDialog(bob);
            var content = RandomNumberGenerator.GetBytes(64 * 1024); // exactly one chunk: the final chunk is empty
            var file = WriteTempFile("exactly one chunk.bin", content);

            await dialog.OpenAsync();
            // Typed as a person might read it out: upper case, spaces instead of hyphens.
            await dialog.JoinAsync(code.Replace('-', ' ').ToUpperInvariant());

            Assert.Equal(bobName, Member(await alicesTalk.NextEventAsync("connected"), "peer"));
            await dialog.ExpectConnectedAsync(alice.Name);
            await dialog.SayAsync("the code worked");
            Assert.Equal("the code worked", Member(await alicesTalk.NextEventAsync("message"), "text"));
            await alicesTalk.TypeAsync("so it did");
            await Expect(dialog.LinesFrom(alice.Name)).ToHaveTextAsync(alice.Name + "so it did");

            await dialog.SendFileAsync(file);
            var saved = await alicesTalk.NextEventAsync("file");
            Assert.Equal((bobName, "exactly one chunk.bin"), (Member(saved, "from"), Member(saved, "name")));
            Assert.Equal(content, await File.ReadAllBytesAsync(Member(saved, "path")!));
            await Expect(bob.Page.GetByTestId("passphrase-file-sent")).ToHaveTextAsync("Sent exactly one chunk.bin.");

            await bob.Page.GetByTestId("passphrase-leave").ClickAsync();
            Assert.Equal(0, await alicesTalk.ExitCodeAsync());
        }
        finally
        {
            Directory.Delete(received, recursive: true);
        }
    });

    [Fact]
    public Task A_browser_user_generates_a_code_and_a_cli_user_joins_with_it() => RunAsync(async () =>
    {
        var (alice, aliceName) = await BrowserUserAsync("alice");
        var dialog = new PassphraseDialog(alice);
        using var bob = await CliUserAsync("bob");

        await dialog.OpenAsync();
        await alice.Page.GetByTestId("passphrase-generate").ClickAsync();
        var code = await dialog.Code.TextContentAsync(new() { Timeout = 15_000 });
        Assert.Matches("^[0-9]+-[a-z]+-[a-z]+$", code);
        _views.WriteLine($"A generated code: {await dialog.SaveViewAsync("code")}");
        using var bobsTalk = TalkProcess.Start(bob, ServerAddress, "--code", code!);

        Assert.Equal(aliceName, Member(await bobsTalk.NextEventAsync("connected"), "peer"));
        await dialog.ExpectConnectedAsync(bob.Name);
        await bobsTalk.TypeAsync("joined by code");
        await Expect(dialog.LinesFrom(bob.Name)).ToHaveTextAsync(bob.Name + "joined by code");
        await dialog.SayAsync("welcome");
        Assert.Equal("welcome", Member(await bobsTalk.NextEventAsync("message"), "text"));
        bobsTalk.EndInput();
        Assert.Equal(0, await bobsTalk.ExitCodeAsync());
    });

    [Fact]
    public Task A_wrong_passphrase_fails_on_both_sides_and_the_page_says_why() => RunAsync(async () =>
    {
        using var bob = await CliUserAsync("bob");
        using var bobsTalk = TalkProcess.Start(bob, ServerAddress, "--accept", "--passphrase-file", PassphraseFile("purple monkey dishwater"));
        await bobsTalk.StatusAsync("waiting for a request");
        var (alice, _) = await BrowserUserAsync("alice");
        var dialog = new PassphraseDialog(alice);

        await dialog.OpenAsync();
        await dialog.AskAsync(bob.Name, Passphrase);

        var failed = await bobsTalk.NextEventAsync("failed");
        Assert.Equal("passphrase.mismatch", Member(failed, "code"));
        Assert.Equal(1, await bobsTalk.ExitCodeAsync());
        await Expect(dialog.Error).ToHaveTextAsync("The passphrase session failed: wrong passphrase (passphrase.mismatch).");
        _views.WriteLine($"A failed session: {await dialog.SaveViewAsync("failed")}");
        // The session is over; the page offers a new one.
        await Expect(alice.Page.GetByTestId("passphrase-ask")).ToBeEnabledAsync();
    });

    [Fact]
    public Task A_declined_request_ends_the_session_for_the_cli_user_and_leaves_the_list() => RunAsync(async () =>
    {
        var (bob, bobName) = await BrowserUserAsync("bob");
        var dialog = new PassphraseDialog(bob);
        using var alice = await CliUserAsync("alice");
        using var alicesTalk = TalkProcess.Start(alice, ServerAddress, "--to", bobName, "--passphrase-file", PassphraseFile(Passphrase));
        await Expect(dialog.RequestsCount).ToHaveTextAsync("1");
        await dialog.OpenAsync();

        await dialog.Requests.GetByTestId("passphrase-decline").ClickAsync();

        // The server cannot tell a refusal from a mismatch (docs/passphrase.md, "Ending a session"), and charges nobody.
        Assert.Equal("passphrase.mismatch", Member(await alicesTalk.NextEventAsync("failed"), "code"));
        Assert.Equal(1, await alicesTalk.ExitCodeAsync());
        await Expect(dialog.Requests).ToHaveCountAsync(0);
        await Expect(dialog.RequestsCount).ToHaveTextAsync("");
    });

    [Fact]
    public Task Cancelling_a_generated_code_frees_it_and_a_cli_user_who_enters_it_is_refused() => RunAsync(async () =>
    {
        var (alice, _) = await BrowserUserAsync("alice");
        var dialog = new PassphraseDialog(alice);
        using var bob = await CliUserAsync("bob");
        await dialog.OpenAsync();
        await alice.Page.GetByTestId("passphrase-generate").ClickAsync();
        var code = await dialog.Code.TextContentAsync();

        await alice.Page.GetByTestId("passphrase-cancel").ClickAsync();

        await Expect(dialog.Status).ToHaveTextAsync("Cancelled: that request or code no longer works.");
        await Expect(dialog.Error).ToBeHiddenAsync();
        await Expect(alice.Page.GetByTestId("passphrase-generate")).ToBeEnabledAsync();
        await Expect(alice.Page.GetByTestId("passphrase-cancel")).ToBeHiddenAsync();
        (await bob.RunAsync("talk", "--code", code!, "--json")).FailedWith("passphrase.not_found");
    });

    [Fact]
    public Task Refusals_are_shown_in_the_dialog_with_the_servers_reason() => RunAsync(async () =>
    {
        var (alice, aliceName) = await BrowserUserAsync("alice");
        var dialog = new PassphraseDialog(alice);
        await dialog.OpenAsync();

        await dialog.AskAsync(UniqueName("nobody"), Passphrase);
        await Expect(dialog.Error).ToContainTextAsync("(user.not_found)");

        await dialog.AskAsync(aliceName, Passphrase);
        await Expect(dialog.Error).ToContainTextAsync("(passphrase.self)");

        // A well-formed code whose slot holds no session: the server's 404, charged as a guess.
        await dialog.JoinAsync("999-crossover-clockwork");
        await Expect(dialog.Error).ToContainTextAsync("(passphrase.not_found)");

        // A code the page cannot read is refused before anything is sent, without repeating the words.
        await dialog.JoinAsync("7-clockwork-crossover");
        await Expect(dialog.Error).ToHaveTextAsync("The two words are in the wrong order.");
    });

    private async Task<CliUser> CliUserAsync(string prefix)
    {
        var user = new CliUser(UniqueName(prefix), ServerAddress);
        (await user.RegisterAsync()).Succeeded();
        return user;
    }

    private async Task<(ParleyPage Page, string Name)> BrowserUserAsync(string prefix)
    {
        var page = await OpenAsync(prefix);
        var name = UniqueName(prefix);
        await page.RegisterAsync(name);
        return (page, name);
    }

    private string PassphraseFile(string passphrase) => WriteTempFile("passphrase.txt", System.Text.Encoding.UTF8.GetBytes(passphrase + "\n"));

    private static string? Member(JsonElement element, string name) => element.GetProperty(name).GetString();
}
