using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Parley.Web.Tests;

public sealed class WebClientTests(WebAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    [Fact]
    public Task Two_users_chat_live() => RunAsync(async () =>
    {
        var aliceName = UniqueName("alice");
        var bobName = UniqueName("bob");
        var alice = await OpenAsync("alice");
        var bob = await OpenAsync("bob");
        await alice.RegisterAsync(aliceName);
        await bob.RegisterAsync(bobName);
        await alice.MarkNotReloadedAsync();
        await bob.MarkNotReloadedAsync();

        await alice.CreateRoomAsync("Planning");
        await alice.InviteAsync(bobName);
        await Expect(alice.InviteStatus).ToHaveTextAsync($"Invited {bobName}.");

        var invitation = bob.Invitation("Planning");
        await Expect(invitation).ToContainTextAsync($"from {aliceName}");
        await invitation.GetByTestId("join").ClickAsync();
        await Expect(bob.RoomTitle).ToHaveTextAsync("Planning");
        await Expect(bob.Page.GetByTestId("invitation")).ToHaveCountAsync(0);
        await Expect(alice.Members.Filter(new() { HasText = bobName })).ToHaveCountAsync(1);

        await alice.SendAsync("Hello Bob, shall we plan the release?");
        await Expect(bob.MessageTexts).ToHaveTextAsync(["Hello Bob, shall we plan the release?"]);
        await bob.SendAsync("Thursday works for me.");
        string[] conversation = ["Hello Bob, shall we plan the release?", "Thursday works for me."];
        await Expect(alice.MessageTexts).ToHaveTextAsync(conversation);
        // Each side got its own message twice (the send's answer and the live event): shown once.
        await Expect(bob.MessageTexts).ToHaveTextAsync(conversation);

        await bob.LeaveRoomAsync();
        await Expect(bob.Page.GetByTestId("chat-empty")).ToBeVisibleAsync();
        await Expect(bob.Room("Planning")).ToHaveCountAsync(0);
        await Expect(alice.Members).ToHaveCountAsync(1);

        // A message in a room Alice is not looking at marks that room unread until she opens it.
        await bob.MessageUserAsync(aliceName, "A private word.");
        var direct = alice.Room(bobName);
        await Expect(direct.GetByTestId("unread")).ToHaveTextAsync("1");
        await direct.ClickAsync();
        await Expect(alice.RoomTitle).ToHaveTextAsync(bobName);
        await Expect(alice.MessageTexts).ToHaveTextAsync(["A private word."]);
        await Expect(direct.GetByTestId("unread")).ToHaveCountAsync(0);

        await alice.ExpectNotReloadedAsync();
        await bob.ExpectNotReloadedAsync();
    });

    [Fact]
    public Task Reload_keeps_the_session_and_shows_the_history() => RunAsync(async () =>
    {
        var aliceName = UniqueName("alice");
        var alice = await OpenAsync("alice");
        await alice.RegisterAsync(aliceName);
        await alice.CreateRoomAsync("History");

        // 55 messages through the API and one through the page: more than the first page (50) holds.
        var roomId = Uri.UnescapeDataString(new Uri(alice.Page.Url).Fragment["#/rooms/".Length..]);
        using var http = await SignedInHttpClientAsync(alice);
        var texts = Enumerable.Range(1, 55).Select(i => $"Message {i}").Append("Written in the page").ToArray();
        foreach (var text in texts[..^1])
            (await http.PostAsJsonAsync($"/api/rooms/{roomId}/messages", new { text })).EnsureSuccessStatusCode();
        await alice.SendAsync(texts[^1]);
        await Expect(alice.MessageTexts.Last).ToHaveTextAsync(texts[^1]);

        await alice.Page.ReloadAsync();
        await alice.ExpectSignedInAsync(aliceName);
        await Expect(alice.RoomTitle).ToHaveTextAsync("History");
        await Expect(alice.MessageTexts).ToHaveTextAsync(texts[^50..]);

        await alice.LoadOlder.ClickAsync();
        await Expect(alice.MessageTexts).ToHaveTextAsync(texts);
        await Expect(alice.LoadOlder).ToBeHiddenAsync();
    });

    [Fact]
    public Task Refusals_show_the_servers_detail() => RunAsync(async () =>
    {
        var alice = await OpenAsync("alice");
        var nobody = UniqueName("nobody");
        await alice.SignInAsync(nobody, "not the password");
        await Expect(alice.ProblemDetails).ToHaveTextAsync(["Wrong user name or password."]);
        await alice.Problems.GetByTestId("problem-dismiss").ClickAsync();
        await Expect(alice.Problems).ToHaveCountAsync(0);

        await alice.RegisterAsync(UniqueName("alice"));
        await alice.CreateRoomAsync("Refusals");
        await alice.InviteAsync(nobody);
        await Expect(alice.ProblemDetails).ToHaveTextAsync([$"There is no user '{nobody}'."]);
        await Expect(alice.InviteStatus).ToBeEmptyAsync();
        await alice.Problems.GetByTestId("problem-dismiss").ClickAsync();
        await Expect(alice.Problems).ToHaveCountAsync(0);
    });

    [Fact]
    public Task The_device_key_is_registered_once_and_named_on_later_sign_ins() => RunAsync(async () =>
    {
        var aliceName = UniqueName("alice");
        var alice = await OpenAsync("alice");
        await alice.RegisterAsync(aliceName);
        var first = await alice.StoredSessionAsync();
        var deviceId = first.GetProperty("deviceId").GetString();
        Assert.NotNull(deviceId);

        // The server checked the key's proof; the session is bound to the device.
        using (var http = await SignedInHttpClientAsync(alice))
        {
            var me = await http.GetFromJsonAsync<JsonElement>("/api/me");
            Assert.Equal(deviceId, me.GetProperty("deviceId").GetString());
        }

        // Signing out revokes the token on the server, not just in the page.
        await alice.SignOutAsync();
        using (var revoked = App.Server.CreateHttpClient())
        {
            revoked.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", first.GetProperty("token").GetString());
            Assert.Equal(HttpStatusCode.Unauthorized, (await revoked.GetAsync("/api/me")).StatusCode);
        }

        await alice.SignInAsync(aliceName);
        await alice.ExpectSignedInAsync(aliceName);
        Assert.Equal(deviceId, (await alice.StoredSessionAsync()).GetProperty("deviceId").GetString());
        using (var http = await SignedInHttpClientAsync(alice))
        {
            var devices = await http.GetFromJsonAsync<JsonElement>("/api/devices");
            Assert.Equal(deviceId, Assert.Single(devices.EnumerateArray()).GetProperty("id").GetString());
        }
    });

    [Fact]
    public Task Devices_are_listed_and_revoked_from_the_page() => RunAsync(async () =>
    {
        var aliceName = UniqueName("alice");
        var laptop = await OpenAsync("alice-laptop");
        var phone = await OpenAsync("alice-phone");
        await laptop.RegisterAsync(aliceName);
        await phone.SignInAsync(aliceName);
        await phone.ExpectSignedInAsync(aliceName);
        var laptopDevice = (await laptop.StoredSessionAsync()).GetProperty("deviceId").GetString()!;
        var phoneDevice = (await phone.StoredSessionAsync()).GetProperty("deviceId").GetString()!;

        await laptop.Page.GetByTestId("devices-open").ClickAsync();
        var devices = laptop.Page.GetByTestId("devices").GetByTestId("device");
        await Expect(devices).ToHaveCountAsync(2);
        var own = devices.And(laptop.Page.Locator($"[data-device-id='{laptopDevice}']"));
        await Expect(own).ToContainTextAsync("(this browser)");
        await Expect(own.GetByTestId("device-revoke")).ToHaveTextAsync("Revoke and sign out");

        // The phone is lost: revoked from the laptop, it is signed out on the server at once.
        var revoke = await laptop.Page.RunAndWaitForResponseAsync(
            () => devices.And(laptop.Page.Locator($"[data-device-id='{phoneDevice}']")).GetByTestId("device-revoke").ClickAsync(),
            response => response.Request.Method == "DELETE" && response.Url.EndsWith($"/api/devices/{phoneDevice}", StringComparison.Ordinal));
        Assert.Equal(204, revoke.Status);
        await Expect(devices).ToHaveCountAsync(1);
        await phone.Page.ReloadAsync();
        await Expect(phone.AuthForm).ToBeVisibleAsync();

        // Revoking this browser's own device signs it out here, and says why.
        await own.GetByTestId("device-revoke").ClickAsync();
        await Expect(laptop.AuthForm).ToBeVisibleAsync();
        await Expect(laptop.Problems).ToContainTextAsync("device was revoked");
        // Signing in again registers this browser as a new device.
        await laptop.SignInAsync(aliceName);
        await laptop.ExpectSignedInAsync(aliceName);
        var renewed = (await laptop.StoredSessionAsync()).GetProperty("deviceId").GetString();
        Assert.NotNull(renewed);
        Assert.NotEqual(laptopDevice, renewed);
    });

    [Fact]
    public Task After_a_lost_connection_the_page_catches_up() => RunAsync(async () =>
    {
        var aliceName = UniqueName("alice");
        var bobName = UniqueName("bob");
        var alice = await OpenAsync("alice");
        var bob = await OpenAsync("bob");
        // Bob's live channel goes through Playwright, so the test can cut it.
        IWebSocketRoute? bobsSocket = null;
        await bob.Page.RouteWebSocketAsync(HubAddress, socket =>
        {
            bobsSocket = socket;
            socket.ConnectToServer();
        });
        await alice.RegisterAsync(aliceName);
        await bob.RegisterAsync(bobName);
        await alice.CreateRoomAsync("Outage");
        await alice.InviteAsync(bobName);
        await bob.Invitation("Outage").GetByTestId("join").ClickAsync();
        await Expect(bob.RoomTitle).ToHaveTextAsync("Outage");

        // Down: the socket closes and every way back to the hub (negotiation included) fails.
        await bob.Page.RouteAsync(HubAddress, route => route.AbortAsync());
        await bobsSocket!.CloseAsync();
        await Expect(bob.Page.GetByTestId("live-status")).ToHaveAttributeAsync("data-state", "reconnecting");
        await alice.SendAsync("Sent while Bob was away");
        await alice.MessageUserAsync(bobName, "Also while you were away");
        await Expect(alice.MessageTexts).ToHaveTextAsync(["Also while you were away"]);
        await Expect(bob.MessageTexts).ToHaveCountAsync(0);

        // Back up: the reconnection is followed by a catch-up of the open room and the room list.
        await bob.Page.UnrouteAsync(HubAddress);
        await Expect(bob.Page.GetByTestId("live-status")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(bob.MessageTexts).ToHaveTextAsync(["Sent while Bob was away"]);
        await Expect(bob.Room(aliceName).GetByTestId("unread")).ToHaveTextAsync("1");

        // And live delivery works again.
        await alice.Room("Outage").ClickAsync();
        await alice.SendAsync("Welcome back");
        await Expect(bob.MessageTexts).ToHaveTextAsync(["Sent while Bob was away", "Welcome back"]);
    });

    [Fact]
    public Task A_session_revoked_elsewhere_returns_the_page_to_sign_in() => RunAsync(async () =>
    {
        var alice = await OpenAsync("alice");
        await alice.RegisterAsync(UniqueName("alice"));
        await alice.CreateRoomAsync("Revoked");

        using (var http = await SignedInHttpClientAsync(alice))
            (await http.DeleteAsync("/api/sessions/current")).EnsureSuccessStatusCode();
        await alice.SendAsync("Anyone there?");

        await Expect(alice.AuthForm).ToBeVisibleAsync();
        await Expect(alice.ProblemDetails).ToHaveTextAsync([new Regex("^Your session has ended")]);
        Assert.Null(await alice.Page.EvaluateAsync<string?>("() => localStorage.getItem('parley.session')"));
    });

    /// <summary>The hub's address, for its negotiation and its WebSocket (the token rides in the query).</summary>
    internal static readonly Regex HubAddress = new(@"/hub(/|\?|$)");
}
