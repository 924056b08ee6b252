using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Parley.Web.Tests;

/// <summary>What the page does around outages and a reader who scrolled away: notices that go when their cause does, sends that wait, new messages below.</summary>
public sealed class LiveReliabilityTests(WebAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private const string CannotReach = "Cannot reach the server. Check your connection and try again.";

    [Fact]
    public Task The_cannot_reach_the_server_notice_goes_when_the_connection_is_back() => RunAsync(async () =>
    {
        var alice = await OpenAsync("alice");
        var line = await CuttableHubAsync(alice);
        await alice.RegisterAsync(UniqueName("alice"));

        // The server goes away: the live channel and every API call fail, and an action says so.
        await line.CutAsync();
        await alice.Page.RouteAsync(ApiAddress, route => route.AbortAsync());
        await alice.Page.GetByTestId("new-room").ClickAsync();
        await alice.Page.GetByTestId("new-room-name").FillAsync("While away");
        await alice.Page.GetByTestId("new-room-create").ClickAsync();
        await Expect(alice.ProblemDetails).ToHaveTextAsync([CannotReach]);

        // Back: live again, and the notice no longer holds.
        await alice.Page.UnrouteAsync(ApiAddress);
        await line.RestoreAsync();
        await Expect(alice.Page.GetByTestId("live-status")).ToHaveAttributeAsync("data-state", "connected");
        await Expect(alice.Problems).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Messages_typed_while_offline_are_sent_once_each_when_the_connection_returns() => RunAsync(async () =>
    {
        var alice = await OpenAsync("alice");
        var bob = await OpenAsync("bob");
        var line = await CuttableHubAsync(bob);
        await TwoMembersAsync("Patchy signal", alice, bob);
        var roomId = OpenRoomId(alice);

        await line.CutAsync();
        // Bob's first send reaches the server but its answer is lost; after that nothing gets through.
        var posts = 0;
        await bob.Page.RouteAsync(MessagesAddress, async route =>
        {
            if (route.Request.Method != "POST") await route.ContinueAsync();
            else if (Interlocked.Increment(ref posts) == 1)
            {
                await route.FetchAsync();
                await route.AbortAsync("connectionreset");
            }
            else await route.AbortAsync("internetdisconnected");
        });
        await bob.SendAsync("The answer got lost");
        await bob.SendAsync("Typed while offline");

        var waiting = bob.Page.GetByTestId("outbox-status");
        await Expect(waiting.GetByTestId("waiting-text")).ToHaveTextAsync(["The answer got lost", "Typed while offline"]);
        await Expect(bob.Problems).ToHaveCountAsync(0);
        await Expect(alice.MessageTexts).ToHaveTextAsync(["The answer got lost"]);

        await bob.Page.UnrouteAsync(MessagesAddress);
        await line.RestoreAsync();

        string[] both = ["The answer got lost", "Typed while offline"];
        await Expect(bob.MessageTexts).ToHaveTextAsync(both);
        await Expect(alice.MessageTexts).ToHaveTextAsync(both);
        await Expect(waiting).ToBeHiddenAsync();
        // Exactly once each on the server too: the resend of the first carried the same clientMessageId.
        using var http = await SignedInHttpClientAsync(alice);
        var history = await http.GetFromJsonAsync<JsonElement>($"/api/rooms/{roomId}/messages");
        Assert.Equal(both, history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()).ToArray());
    });

    [Fact]
    public Task New_messages_below_a_reader_who_scrolled_up_are_announced_and_one_key_away() => RunAsync(async () =>
    {
        var (alice, bob) = await TwoMembersAsync("Long thread");
        var roomId = OpenRoomId(alice);
        using (var http = await SignedInHttpClientAsync(alice))
        {
            foreach (var i in Enumerable.Range(1, 45))
                (await http.PostAsJsonAsync($"/api/rooms/{roomId}/messages", new { text = $"Point {i}" })).EnsureSuccessStatusCode();
        }
        await Expect(bob.MessageTexts).ToHaveCountAsync(45);
        var control = bob.Page.GetByTestId("new-messages");
        await Expect(control).ToBeHiddenAsync();

        // Bob goes back to the start to read; Alice writes meanwhile.
        await bob.Page.Locator("#messages-pane").EvaluateAsync("pane => { pane.scrollTop = 0; }");
        await Expect(bob.MessageTexts.First).ToBeInViewportAsync();
        await alice.SendAsync("Anyone still reading?");

        var newest = bob.MessageTexts.Last;
        await Expect(newest).ToHaveTextAsync("Anyone still reading?");
        await Expect(control).ToBeVisibleAsync();
        await Expect(newest).Not.ToBeInViewportAsync();
        await Expect(bob.MessageTexts.First).ToBeInViewportAsync();

        await control.FocusAsync();
        await bob.Page.Keyboard.PressAsync("Enter");
        await Expect(newest).ToBeInViewportAsync();
        await Expect(control).ToBeHiddenAsync();
    });

    /// <summary>The id of the room open on the page, from its address.</summary>
    private static string OpenRoomId(ParleyPage page) => Uri.UnescapeDataString(new Uri(page.Page.Url).Fragment["#/rooms/".Length..]);

    /// <summary>Routes the page's live channel through Playwright (before it connects), so the test can cut it and bring it back.</summary>
    private static async Task<HubLine> CuttableHubAsync(ParleyPage page)
    {
        var line = new HubLine(page.Page);
        await page.Page.RouteWebSocketAsync(WebClientTests.HubAddress, socket =>
        {
            line.Socket = socket;
            socket.ConnectToServer();
        });
        return line;
    }

    private sealed class HubLine(IPage page)
    {
        public IWebSocketRoute? Socket { get; set; }

        /// <summary>Down: the socket closes and every way back to the hub (negotiation included) fails.</summary>
        public async Task CutAsync()
        {
            await page.RouteAsync(WebClientTests.HubAddress, route => route.AbortAsync());
            await Socket!.CloseAsync();
            await Expect(page.GetByTestId("live-status")).Not.ToHaveAttributeAsync("data-state", "connected");
        }

        public Task RestoreAsync() => page.UnrouteAsync(WebClientTests.HubAddress);
    }

    private static readonly Regex ApiAddress = new("/api/");
    private static readonly Regex MessagesAddress = new(@"/api/rooms/[^/]+/messages$");
}
