using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Parley.Web.Tests;

/// <summary>Pending invitations in the sidebar, answered with Join or Decline.</summary>
public sealed class InvitationTests(WebAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    [Fact]
    public Task Pending_invitations_are_declined_or_joined_and_refusals_show_in_the_invitation() => RunAsync(async () =>
    {
        var alice = await OpenAsync("alice");
        var bob = await OpenAsync("bob");
        var bobName = UniqueName("bob");
        await alice.RegisterAsync(UniqueName("alice"));
        await bob.RegisterAsync(bobName);
        await alice.CreateRoomAsync("Party");
        await alice.InviteAsync(bobName);
        var invitation = bob.Invitation("Party");
        await Expect(invitation.GetByRole(AriaRole.Button, new() { Name = "Decline the invitation to #Party" })).ToBeVisibleAsync();

        // A refusal is said in the invitation, which stays until the answer goes through.
        await bob.Page.RouteAsync("**/decline", route => route.FulfillAsync(new()
        {
            Status = 429, ContentType = "application/problem+json",
            Body = """{"status":429,"code":"request.rate_limited","detail":"Too many requests; try again in 1 s."}""",
        }));
        await invitation.GetByTestId("decline").ClickAsync();
        await Expect(invitation.GetByTestId("invitation-error")).ToHaveTextAsync("Too many requests; try again in 1 s.");
        await bob.Page.UnrouteAllAsync();

        // By keyboard this time.
        await invitation.GetByTestId("decline").FocusAsync();
        await bob.Page.Keyboard.PressAsync("Enter");
        await Expect(bob.Page.GetByTestId("invitation")).ToHaveCountAsync(0);
        await bob.Page.ReloadAsync();
        await bob.ExpectSignedInAsync(bobName);
        await Expect(bob.Page.GetByTestId("invitation")).ToHaveCountAsync(0);
        await Expect(bob.Room("Party")).ToHaveCountAsync(0);

        // Declined is not barred: a new invitation can be accepted.
        await alice.InviteAsync(bobName);
        await bob.Invitation("Party").GetByTestId("join").ClickAsync();
        await Expect(bob.RoomTitle).ToHaveTextAsync("Party");
        await Expect(alice.Members).ToHaveCountAsync(2);
    });
}
