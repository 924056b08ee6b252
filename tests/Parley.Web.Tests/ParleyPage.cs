using System.Text.Json;

namespace Parley.Web.Tests;

/// <summary>One user's tab of the web client, driven through the page's data-testid hooks.</summary>
public sealed class ParleyPage(IPage page)
{
    public const string Password = "correct horse battery";

    public IPage Page => page;

    public ILocator Me => page.GetByTestId("me");
    public ILocator AuthForm => page.GetByTestId("auth-form");
    public ILocator RoomTitle => page.GetByTestId("room-title");
    public ILocator MessageTexts => page.GetByTestId("messages").GetByTestId("message-text");
    public ILocator Members => page.GetByTestId("members").GetByTestId("member");
    public ILocator InviteStatus => page.GetByTestId("invite-status");
    public ILocator LoadOlder => page.GetByTestId("load-older");
    public ILocator Problems => page.GetByTestId("problem");
    public ILocator ProblemDetails => page.GetByTestId("problem-detail");

    public ILocator Pictures => page.GetByTestId("messages").GetByTestId("media-image");
    public ILocator FileCards => page.GetByTestId("messages").GetByTestId("file-card");
    /// <summary>The files being sent, in the tray above the composer.</summary>
    public ILocator Uploads => page.GetByTestId("upload");

    public ILocator Invitation(string roomName) => page.GetByTestId("invitation").Filter(new() { HasText = "#" + roomName });

    public ILocator Room(string name) => page.GetByTestId("room").Filter(new() { HasText = name });

    public async Task RegisterAsync(string userName)
    {
        await FillCredentialsAsync(userName, Password);
        await page.GetByTestId("register").ClickAsync();
        await ExpectSignedInAsync(userName);
    }

    public async Task SignInAsync(string userName, string password = Password)
    {
        await FillCredentialsAsync(userName, password);
        await page.GetByTestId("sign-in").ClickAsync();
    }

    /// <summary>Signed in, and the live connection is up, so what happens from now on arrives live.</summary>
    public async Task ExpectSignedInAsync(string userName)
    {
        await Expect(Me).ToHaveTextAsync(userName);
        await Expect(page.GetByTestId("live-status")).ToHaveAttributeAsync("data-state", "connected");
    }

    /// <summary>
    /// Signs out and waits for the server's answer: the page returns to the sign-in form at once
    /// and revokes the token right after.
    /// </summary>
    public async Task SignOutAsync()
    {
        var revoke = await page.RunAndWaitForResponseAsync(
            () => page.GetByTestId("sign-out").ClickAsync(),
            response => response.Request.Method == "DELETE" && response.Url.EndsWith("/api/sessions/current", StringComparison.Ordinal));
        Assert.Equal(204, revoke.Status);
        await Expect(AuthForm).ToBeVisibleAsync();
    }

    public async Task CreateRoomAsync(string name)
    {
        await page.GetByTestId("new-room").ClickAsync();
        await page.GetByTestId("new-room-name").FillAsync(name);
        await page.GetByTestId("new-room-create").ClickAsync();
        await Expect(RoomTitle).ToHaveTextAsync(name);
    }

    /// <summary>Leaves the open room: the button asks for a second click.</summary>
    public async Task LeaveRoomAsync()
    {
        var leave = page.GetByTestId("leave-room");
        await leave.ClickAsync();
        await Expect(leave).ToHaveTextAsync("Click again to leave");
        await leave.ClickAsync();
    }

    public async Task InviteAsync(string userName)
    {
        await page.GetByTestId("invite-username").FillAsync(userName);
        await page.GetByTestId("invite-send").ClickAsync();
    }

    /// <summary>Types a message and sends it with Enter.</summary>
    public async Task SendAsync(string text)
    {
        var input = page.GetByTestId("message-input");
        await input.FillAsync(text);
        await input.PressAsync("Enter");
    }

    /// <summary>Picks files with the composer's attach button (its file input, as the picker would fill it).</summary>
    public Task AttachAsync(params FilePayload[] files) => page.GetByTestId("attach-input").SetInputFilesAsync(files);

    public Task AttachAsync(string path) => page.GetByTestId("attach-input").SetInputFilesAsync(path);

    /// <summary>Picks a picture with the composer's broadcast button (its file input, as the picker would fill it).</summary>
    public Task BroadcastAsync(FilePayload picture) => page.GetByTestId("broadcast-input").SetInputFilesAsync(picture);

    /// <summary>How the last broadcast from this page went, above the composer.</summary>
    public ILocator BroadcastStatus => page.GetByTestId("broadcast-status");

    public async Task MessageUserAsync(string userName, string text)
    {
        await page.GetByTestId("message-user").ClickAsync();
        await page.GetByTestId("message-user-name").FillAsync(userName);
        await page.GetByTestId("message-user-text").FillAsync(text);
        await page.GetByTestId("message-user-send").ClickAsync();
    }

    /// <summary>The session the page keeps in localStorage (token, userId, deviceId, …).</summary>
    public async Task<JsonElement> StoredSessionAsync()
    {
        var json = await page.EvaluateAsync<string?>("() => localStorage.getItem('parley.session')");
        Assert.NotNull(json);
        return JsonDocument.Parse(json).RootElement;
    }

    /// <summary>
    /// Marks the page's JavaScript realm; <see cref="ExpectNotReloadedAsync"/> then proves that what
    /// happened since arrived live, not through a reload.
    /// </summary>
    public Task MarkNotReloadedAsync() => page.EvaluateAsync("() => { window.parleyTestMarker = true; }");

    public async Task ExpectNotReloadedAsync() =>
        Assert.True(await page.EvaluateAsync<bool>("() => window.parleyTestMarker === true"), "The page was reloaded.");

    private async Task FillCredentialsAsync(string userName, string password)
    {
        await page.GetByTestId("auth-username").FillAsync(userName);
        await page.GetByTestId("auth-password").FillAsync(password);
    }
}
