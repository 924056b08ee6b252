using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Parley.Web.Tests;

/// <summary>
/// The page for people who do not use a mouse or do not see it: every action from the keyboard,
/// every control named for a screen reader, and a dark theme with readable text. The main views
/// are saved to views/ on the way (see <see cref="ViewPictures"/>).
/// </summary>
public sealed partial class AccessibilityTests(WebAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    /// <summary>Where the pictures of the views are announced.</summary>
    private readonly ITestOutputHelper _views = output;

    [Fact]
    public Task Sign_up_create_invite_send_and_open_dialogs_with_the_keyboard_alone() => RunAsync(async () =>
    {
        var aliceName = UniqueName("alice");
        var bobName = UniqueName("bob");
        var bob = await OpenAsync("bob");
        await bob.RegisterAsync(bobName);
        var alice = await OpenAsync("alice");
        var page = alice.Page;
        var keys = new KeyboardUser(page);

        await keys.TabToAsync(page.GetByTestId("auth-username"));
        await keys.TypeAsync(aliceName);
        await keys.TabToAsync(page.GetByTestId("auth-password"));
        await keys.TypeAsync(ParleyPage.Password);
        _views.WriteLine($"Sign-in: {await ViewPictures.SaveAsync(page, "sign-in")}");
        await keys.TabToAsync(page.GetByTestId("register"));
        await keys.PressAsync("Enter");
        await alice.ExpectSignedInAsync(aliceName);

        // The new-room form opens from its button; Escape folds it away and gives the button the focus back.
        var newRoom = page.GetByTestId("new-room");
        await keys.TabToAsync(newRoom);
        await keys.PressAsync("Enter");
        await Expect(page.GetByTestId("new-room-name")).ToBeFocusedAsync();
        await keys.PressAsync("Escape");
        await Expect(page.GetByTestId("new-room-form")).ToBeHiddenAsync();
        await Expect(newRoom).ToBeFocusedAsync();
        await keys.PressAsync("Space");
        await Expect(page.GetByTestId("new-room-name")).ToBeFocusedAsync();
        await keys.TypeAsync("Keyboard");
        await keys.PressAsync("Enter");
        await Expect(alice.RoomTitle).ToHaveTextAsync("Keyboard");

        await keys.TabToAsync(page.GetByTestId("invite-username"));
        await keys.TypeAsync(bobName);
        await keys.PressAsync("Enter");
        await Expect(alice.InviteStatus).ToHaveTextAsync($"Invited {bobName}.");
        await bob.Invitation("Keyboard").GetByTestId("join").ClickAsync();
        await Expect(alice.Members).ToHaveCountAsync(2);

        await keys.TabToAsync(page.GetByTestId("message-input"));
        await keys.TypeAsync("Typed without a mouse.");
        await keys.PressAsync("Enter");
        await Expect(bob.MessageTexts).ToHaveTextAsync(["Typed without a mouse."]);

        // The attach button opens the file picker from the keyboard.
        await keys.TabToAsync(page.GetByTestId("attach"), backwards: true);
        await keys.PickFilesAsync("Enter", new FilePayload { Name = "harbour.png", MimeType = "image/png", Buffer = TestFiles.Png(240, 160, seed: 2) });
        await Expect(bob.Pictures).ToHaveJSPropertyAsync("naturalWidth", 240);
        await bob.SendAsync("Lovely picture.");
        await Expect(alice.MessageTexts).ToHaveTextAsync(["Typed without a mouse.", "Lovely picture."]);
        _views.WriteLine($"A room with messages and a picture: {await ViewPictures.SaveAsync(bob.Page, "room")}");

        // A picture opens larger with Enter; Escape closes it and the focus returns to the picture.
        var picture = page.GetByRole(AriaRole.Button, new() { Name = "Open harbour.png" });
        await Expect(picture).ToBeEnabledAsync();
        await keys.TabToAsync(picture, backwards: true);
        await keys.PressAsync("Enter");
        await Expect(page.GetByTestId("lightbox")).ToBeVisibleAsync();
        await keys.PressAsync("Escape");
        await Expect(page.GetByTestId("lightbox")).ToBeHiddenAsync();
        await Expect(picture).ToBeFocusedAsync();

        // A signed broadcast from its button, as the attach button.
        await keys.TabToAsync(page.GetByTestId("broadcast"));
        await keys.PickFilesAsync("Space", new FilePayload { Name = "pier.png", MimeType = "image/png", Buffer = TestFiles.Png(200, 140, seed: 6) });
        await Expect(alice.BroadcastStatus).ToHaveTextAsync("Broadcast pier.png to 1 other member.");
        await Expect(alice.Page.GetByTestId("media-verified")).ToBeVisibleAsync();
        _views.WriteLine($"A broadcast sent: {await ViewPictures.SaveAsync(page, "broadcast")}");

        // The passphrase dialog takes the focus when it opens and gives it back when Escape closes it.
        var openPassphrase = page.GetByTestId("passphrase-open");
        var dialog = page.GetByTestId("passphrase");
        await keys.TabToAsync(openPassphrase, backwards: true);
        await keys.PressAsync("Enter");
        await Expect(dialog).ToBeVisibleAsync();
        Assert.True(await dialog.EvaluateAsync<bool>("dialog => dialog.contains(document.activeElement)"), "The open dialog does not have the focus.");
        await keys.TabToAsync(page.GetByTestId("passphrase-to"));
        _views.WriteLine($"The passphrase dialog: {await ViewPictures.SaveAsync(page, "passphrase")}");
        await keys.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(openPassphrase).ToBeFocusedAsync();
    });

    [Fact]
    public Task Every_control_has_a_name_and_changes_are_announced() => RunAsync(async () =>
    {
        var alice = await OpenAsync("alice");
        await ExpectEveryControlNamedAsync(alice.Page, "the sign-in page");

        var (_, bob) = await TwoMembersAsync("Named", alice, await OpenAsync("bob"));
        var bobName = await bob.Me.TextContentAsync();
        await alice.SendAsync("Hello.");
        await alice.AttachAsync(
            new FilePayload { Name = "harbour.png", MimeType = "image/png", Buffer = TestFiles.Png(120, 80) },
            new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = "Plans"u8.ToArray() },
            new FilePayload { Name = "refused.png", MimeType = "image/png", Buffer = [.. TestFiles.Png(8, 8), .. "#!/bin/sh\n"u8] });
        await Expect(bob.Pictures).ToHaveJSPropertyAsync("naturalWidth", 120);
        await Expect(bob.FileCards).ToHaveCountAsync(1);
        // The security check's refusal stays in the tray, read out as an alert, with its dismiss button named.
        await Expect(alice.Page.GetByRole(AriaRole.Alert).GetByTestId("scan-refusal-title")).ToHaveTextAsync("Not sent: refused.png");
        await ExpectEveryControlNamedAsync(alice.Page, "a file the security check refused");
        await alice.CreateRoomAsync("Another");
        await alice.InviteAsync(bobName!);
        await Expect(bob.Invitation("Another")).ToBeVisibleAsync();
        await ExpectEveryControlNamedAsync(bob.Page, "a room with messages, a picture, a file and an invitation");

        // Live regions: the connection's state and incoming messages are read out as they change.
        await Expect(bob.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Live" })).ToBeVisibleAsync();
        await Expect(bob.Page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByText("Hello.")).ToBeVisibleAsync();

        var bobsDialog = new PassphraseDialog(bob);
        await bobsDialog.OpenAsync();
        await ExpectEveryControlNamedAsync(bob.Page, "the passphrase dialog");
        // And once a session is open: the encrypted conversation, its composer and its file picker.
        await bob.Page.GetByTestId("passphrase-generate").ClickAsync();
        await Expect(bobsDialog.Code).ToBeVisibleAsync();
        var alicesDialog = new PassphraseDialog(alice);
        await alicesDialog.OpenAsync();
        await alicesDialog.JoinAsync((await bobsDialog.Code.TextContentAsync())!);
        var aliceName = (await alice.Me.TextContentAsync())!;
        await bobsDialog.ExpectConnectedAsync(aliceName);
        await alicesDialog.SayAsync("Over here.");
        await Expect(bobsDialog.LinesFrom(aliceName)).ToContainTextAsync("Over here.");
        await ExpectEveryControlNamedAsync(bob.Page, "a passphrase conversation");

        // And the check itself finds a control without a name.
        await bob.Page.EvaluateAsync("() => document.querySelector('dialog[open]').append(document.createElement('button'))");
        Assert.Equal(["button"], await UnnamedControlsAsync(bob.Page));
    });

    [Fact]
    public Task The_dark_theme_follows_the_system_and_keeps_text_readable() => RunAsync(async () =>
    {
        var alice = await OpenAsync("alice");
        await alice.RegisterAsync(UniqueName("alice"));
        await alice.CreateRoomAsync("Night");
        await alice.SendAsync("Readable at night?");
        await Expect(alice.MessageTexts).ToHaveTextAsync(["Readable at night?"]);
        await alice.BroadcastAsync(new FilePayload { Name = "moon.png", MimeType = "image/png", Buffer = TestFiles.Png(160, 120, seed: 9) });
        await Expect(alice.Page.GetByTestId("media-verified")).ToBeVisibleAsync();
        var light = await ColoursAsync(alice.Page, "body");

        await alice.Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        var dark = await ColoursAsync(alice.Page, "body");
        Assert.NotEqual(light, dark);
        Assert.True(Luminance(dark.Background) < Luminance(dark.Text), $"Not dark: {dark.Text} on {dark.Background}.");
        _views.WriteLine($"The dark theme: {await ViewPictures.SaveAsync(alice.Page, "dark-room")}");

        // The leave button's second-click warning is text on a red background.
        await alice.Page.GetByTestId("leave-room").ClickAsync();
        await Expect(alice.Page.GetByTestId("leave-room")).ToHaveTextAsync("Click again to leave");
        foreach (var scheme in new[] { ColorScheme.Dark, ColorScheme.Light })
        {
            await alice.Page.EmulateMediaAsync(new() { ColorScheme = scheme });
            foreach (var text in ReadableText)
            {
                var colours = await ColoursAsync(alice.Page, text);
                var ratio = ContrastRatio(colours.Text, colours.Background);
                Assert.True(ratio >= 4.5, $"{scheme}: {text} is {colours.Text} on {colours.Background}, contrast {ratio:0.00} (WCAG AA needs 4.5).");
            }
        }
    });

    /// <summary>
    /// Text a user reads: body text, secondary text, own messages, buttons, the open room's name, the
    /// verified-broadcast mark and the leave warning.
    /// </summary>
    private static readonly string[] ReadableText =
    [
        "body", "[data-testid=message-text]", ".message time", "[data-testid=members] .muted", "[data-testid=send]",
        "[data-testid=room][aria-current=page]", "[data-testid=media-verified]", "[data-testid=leave-room]",
    ];

    /// <summary>Fails, naming them, if any control a user can reach in the accessibility tree has no name.</summary>
    private static async Task ExpectEveryControlNamedAsync(IPage page, string view)
    {
        var unnamed = await UnnamedControlsAsync(page);
        Assert.True(unnamed.Count == 0, $"Controls without an accessible name on {view}: {string.Join(", ", unnamed)}\n{await page.Locator("body").AriaSnapshotAsync()}");
    }

    /// <summary>
    /// The controls in the page's accessibility tree without an accessible name. The ARIA snapshot
    /// writes a named node as <c>- role "name"</c>; a bare role means nothing tells a screen reader what it is.
    /// </summary>
    private static async Task<List<string>> UnnamedControlsAsync(IPage page)
    {
        var snapshot = await page.Locator("body").AriaSnapshotAsync();
        return snapshot.Split('\n')
            .Select(line => UnnamedControl().Match(line))
            .Where(match => match.Success)
            .Select(match => match.Groups["role"].Value)
            .ToList();
    }

    [GeneratedRegex("""^\s*- (?<role>button|link|textbox|searchbox|checkbox|radio|combobox|listbox|slider|spinbutton|switch|menuitem|tab)(\s*\[[^\]]*\])*:?\s*$""")]
    private static partial Regex UnnamedControl();

    private readonly record struct Colours(string Text, string Background);

    /// <summary>
    /// The first element matching the selector: its text colour, and the colour behind it (its own
    /// background or, where that is transparent, the nearest ancestor's).
    /// </summary>
    private static async Task<Colours> ColoursAsync(IPage page, string selector)
    {
        var colours = await page.Locator(selector).First.EvaluateAsync<string[]>("""
            element => {
              const text = getComputedStyle(element).color;
              for (let at = element; at; at = at.parentElement) {
                const background = getComputedStyle(at).backgroundColor;
                if (!/^rgba\(.*, 0\)$/.test(background) && background !== 'transparent') return [text, background];
              }
              return [text, 'rgb(255, 255, 255)'];
            }
            """);
        return new Colours(colours[0], colours[1]);
    }

    /// <summary>WCAG 2 contrast ratio of two opaque CSS colours in rgb() form.</summary>
    private static double ContrastRatio(string a, string b)
    {
        var (lighter, darker) = (Math.Max(Luminance(a), Luminance(b)), Math.Min(Luminance(a), Luminance(b)));
        return (lighter + 0.05) / (darker + 0.05);
    }

    /// <summary>WCAG 2 relative luminance of an rgb()/rgba() colour as getComputedStyle gives it.</summary>
    private static double Luminance(string colour)
    {
        var match = RgbColour().Match(colour);
        Assert.True(match.Success, $"Not an rgb() colour: {colour}");
        double Channel(int group)
        {
            var value = double.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) / 255;
            return value <= 0.03928 ? value / 12.92 : Math.Pow((value + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * Channel(1) + 0.7152 * Channel(2) + 0.0722 * Channel(3);
    }

    [GeneratedRegex(@"^rgba?\(([\d.]+), ([\d.]+), ([\d.]+)")]
    private static partial Regex RgbColour();
}
