namespace Parley.Web.Tests;

/// <summary>
/// A person at one tab with a keyboard and no mouse: focus moves only with Tab and Shift+Tab, and
/// controls are worked with Enter, Space and Escape.
/// </summary>
public sealed class KeyboardUser
{
    private readonly IPage page;

    public KeyboardUser(IPage page)
    {
        this.page = page;
        // Playwright starts intercepting file choosers when the first listener subscribes, without waiting for the
        // browser to confirm; a key pressed right after could open the native chooser instead and no event would
        // come. Subscribing now, long before any key opens a chooser, closes that race.
        page.FileChooser += (_, _) => { };
    }

    // More than the page has controls in a row between any two a test moves between.
    private const int MaxPresses = 80;

    /// <summary>
    /// Presses Tab (Shift+Tab when <paramref name="backwards"/>) until <paramref name="target"/> has
    /// the focus, and checks that the focus is visible there; fails if Tab never gets there.
    /// </summary>
    public async Task TabToAsync(ILocator target, bool backwards = false)
    {
        await Expect(target).ToBeVisibleAsync();
        for (var presses = 0; presses < MaxPresses; presses++)
        {
            if (await target.EvaluateAsync<bool>("element => element === document.activeElement"))
            {
                await ExpectFocusVisibleAsync(target);
                return;
            }
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
        }
        Assert.Fail($"{(backwards ? "Shift+Tab" : "Tab")} never reached {target} in {MaxPresses} presses.");
    }

    public Task PressAsync(string key) => page.Keyboard.PressAsync(key);

    public Task TypeAsync(string text) => page.Keyboard.TypeAsync(text);

    /// <summary>Presses a key on the focused control and picks files in the chooser that opens.</summary>
    public async Task PickFilesAsync(string key, params FilePayload[] files)
    {
        var chooser = await page.RunAndWaitForFileChooserAsync(() => page.Keyboard.PressAsync(key));
        await chooser.SetFilesAsync(files);
    }

    /// <summary>A focus ring someone can see: an outline drawn around the focused control.</summary>
    private static async Task ExpectFocusVisibleAsync(ILocator target)
    {
        var outline = await target.EvaluateAsync<string>(
            "element => { const style = getComputedStyle(element); return `${style.outlineStyle} ${style.outlineWidth}`; }");
        Assert.False(outline.StartsWith("none", StringComparison.Ordinal) || outline.EndsWith(" 0px", StringComparison.Ordinal),
            $"No visible focus on {target} (outline: {outline}).");
    }
}
