namespace Parley.Web.Tests;

/// <summary>One user's passphrase session dialog (web/js/passphrase/panel.js), driven through its data-testid hooks.</summary>
public sealed class PassphraseDialog(ParleyPage tab)
{
    private IPage Page => tab.Page;

    public ILocator Dialog => Page.GetByTestId("passphrase");
    public ILocator Status => Page.GetByTestId("passphrase-status");
    public ILocator Error => Page.GetByTestId("passphrase-error");
    public ILocator Code => Page.GetByTestId("passphrase-code");
    public ILocator Requests => Page.GetByTestId("passphrase-request");
    public ILocator RequestsCount => Page.GetByTestId("passphrase-requests-count");
    public ILocator Log => Page.GetByTestId("passphrase-log");
    public ILocator FileOffers => Page.GetByTestId("passphrase-file");

    /// <summary>The lines of the conversation that <paramref name="from"/> wrote.</summary>
    public ILocator LinesFrom(string from) => Page.Locator($"[data-testid=passphrase-line][data-from=\"{from}\"]");

    public async Task OpenAsync()
    {
        await Page.GetByTestId("passphrase-open").ClickAsync();
        await Expect(Dialog).ToBeVisibleAsync();
    }

    public async Task AskAsync(string userName, string passphrase)
    {
        await Page.GetByTestId("passphrase-to").FillAsync(userName);
        await Page.GetByTestId("passphrase-secret").FillAsync(passphrase);
        await Page.GetByTestId("passphrase-ask").ClickAsync();
    }

    public async Task JoinAsync(string code)
    {
        await Page.GetByTestId("passphrase-code-input").FillAsync(code);
        await Page.GetByTestId("passphrase-join").PressAsync("Enter");
    }

    public async Task AcceptAsync(string from, string passphrase)
    {
        var request = Requests.Filter(new() { HasText = from });
        await request.GetByTestId("passphrase-request-secret").FillAsync(passphrase);
        await request.GetByTestId("passphrase-accept").ClickAsync();
    }

    public async Task ExpectConnectedAsync(string peer) =>
        await Expect(Status).ToHaveTextAsync($"Connected with {peer}: end-to-end encrypted.");

    /// <summary>Types a line and sends it with Enter, as a keyboard user would.</summary>
    public async Task SayAsync(string text)
    {
        var input = Page.GetByTestId("passphrase-input");
        await input.FillAsync(text);
        await input.PressAsync("Enter");
    }

    public Task SendFileAsync(string path) => Page.GetByTestId("passphrase-file-input").SetInputFilesAsync(path);

    /// <summary>Saves a picture of the dialog to views/ beside the tests, for people to look at; returns its path.</summary>
    public Task<string> SaveViewAsync(string name) => ViewPictures.SaveAsync(Page, $"passphrase-{name}");
}
