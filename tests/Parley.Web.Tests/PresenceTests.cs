using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Parley.Web.Tests;

/// <summary>Who is online in a room, from live connections, in the member list.</summary>
public sealed class PresenceTests(WebAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    [Fact]
    public Task Members_show_online_while_their_page_is_open_and_again_after_they_return() => RunAsync(async () =>
    {
        var (alice, bob) = await TwoMembersAsync("Presence");
        var bobName = (await bob.Me.TextContentAsync())!.Trim();
        var bobSeenByAlice = alice.Members.Filter(new() { HasText = bobName }).GetByTestId("member-presence");
        await Expect(bobSeenByAlice).ToHaveAttributeAsync("data-online", "true");
        await Expect(bobSeenByAlice).ToHaveTextAsync("online");

        await bob.Page.CloseAsync();
        await Expect(bobSeenByAlice).ToHaveAttributeAsync("data-online", "false");
        await Expect(bobSeenByAlice).ToHaveTextAsync("offline");

        // Bob comes back in the same browser: signed in from the stored session, online again.
        var returned = new ParleyPage(await bob.Page.Context.NewPageAsync());
        await returned.Page.GotoAsync("/");
        await Expect(returned.Me).ToContainTextAsync(bobName);
        await Expect(bobSeenByAlice).ToHaveAttributeAsync("data-online", "true");
    });
}
