namespace Parley.Web.Tests;

/// <summary>
/// Pictures of the web client's main views, written by the browser tests to views/ beside the test
/// assembly so that anyone can look at them; scripts/test prints the folder's path at its end.
/// </summary>
public static class ViewPictures
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "views");

    /// <summary>Saves what the tab shows now as views/{name}.png; returns the file's path.</summary>
    public static async Task<string> SaveAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, $"{name}.png");
        await page.ScreenshotAsync(new() { Path = path });
        return path;
    }
}
