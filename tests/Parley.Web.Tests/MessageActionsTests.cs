using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Parley.Web.Tests;

/// <summary>Reply, edit and delete in the page, seen live by the other member and again after a reload.</summary>
public sealed class MessageActionsTests(WebAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private static ILocator Message(ParleyPage page, string text) =>
        page.Page.GetByTestId("messages").GetByTestId("message").Filter(new() { Has = page.Page.GetByTestId("message-text").GetByText(text, new() { Exact = true }) });

    [Fact]
    public Task Reply_edit_and_delete_show_live_for_both_members() => RunAsync(async () =>
    {
        var (alice, bob) = await TwoMembersAsync("Lunch");
        await alice.SendAsync("lunch at noon?");
        var question = Message(bob, "lunch at noon?");
        await Expect(question).ToHaveCountAsync(1);
        // Only one's own messages can be edited or deleted.
        await Expect(question.GetByTestId("message-edit")).ToHaveCountAsync(0);
        await Expect(question.GetByTestId("message-delete")).ToHaveCountAsync(0);

        // By keyboard: focus Reply, press Enter, type the answer.
        await question.GetByTestId("message-reply").FocusAsync();
        await bob.Page.Keyboard.PressAsync("Enter");
        await Expect(bob.Page.GetByTestId("reply-banner-text")).ToContainTextAsync("lunch at noon?");
        await Expect(bob.Page.GetByTestId("message-input")).ToBeFocusedAsync();
        await bob.Page.Keyboard.TypeAsync("yes please");
        await bob.Page.Keyboard.PressAsync("Enter");
        await Expect(bob.Page.GetByTestId("reply-banner")).ToBeHiddenAsync();
        var answerSeenByAlice = Message(alice, "yes please");
        await Expect(answerSeenByAlice.GetByTestId("reply-quote")).ToContainTextAsync("lunch at noon?");

        // Escape closes the editor and gives the focus back to Edit.
        var mine = Message(alice, "lunch at noon?");
        await mine.GetByTestId("message-edit").ClickAsync();
        var editor = alice.Page.GetByTestId("edit-input");
        await Expect(editor).ToHaveValueAsync("lunch at noon?");
        await editor.PressAsync("Escape");
        await Expect(alice.Page.GetByTestId("edit-form")).ToHaveCountAsync(0);
        await Expect(mine.GetByTestId("message-edit")).ToBeFocusedAsync();

        // An edit to nothing is refused next to the editor, which stays open with the text.
        await mine.GetByTestId("message-edit").ClickAsync();
        await editor.FillAsync("   ");
        await editor.PressAsync("Enter");
        await Expect(alice.Page.GetByTestId("edit-error")).ToContainTextAsync("not only white space");
        await editor.FillAsync("lunch at one?");
        await editor.PressAsync("Enter");
        await Expect(alice.Page.GetByTestId("edit-form")).ToHaveCountAsync(0);

        var edited = Message(bob, "lunch at one?");
        await Expect(edited.GetByTestId("message-edited")).ToHaveTextAsync("edited");
        await Expect(Message(bob, "yes please").GetByTestId("reply-quote")).ToContainTextAsync("lunch at one?");
        await Expect(bob.MessageTexts).ToHaveTextAsync(["lunch at one?", "yes please"]);

        var delete = Message(alice, "lunch at one?").GetByTestId("message-delete");
        await delete.ClickAsync();
        await Expect(delete).ToHaveTextAsync("Click again to delete");
        await delete.ClickAsync();
        foreach (var page in new[] { alice, bob })
        {
            await Expect(page.MessageTexts).ToHaveTextAsync(["yes please"]);
            await Expect(page.Page.GetByTestId("message-deleted")).ToHaveTextAsync("Message deleted");
            await Expect(Message(page, "yes please").GetByTestId("reply-quote")).ToContainTextAsync("a deleted message");
        }

        // History keeps the order and the changes: the same view after a reload.
        await bob.Page.ReloadAsync();
        await Expect(bob.Page.GetByTestId("message")).ToHaveCountAsync(2);
        await Expect(bob.Page.GetByTestId("message").First.GetByTestId("message-deleted")).ToHaveCountAsync(1);
        await Expect(Message(bob, "yes please").GetByTestId("reply-quote")).ToContainTextAsync("a deleted message");
    });
}
