using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Parley.Web.Tests;

/// <summary>Addresses in messages become safe links; hostile ones stay text.</summary>
public sealed class MessageLinkTests(WebAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    [Fact]
    public Task Only_http_addresses_become_links_and_they_open_without_a_way_back() => RunAsync(async () =>
    {
        var (alice, bob) = await TwoMembersAsync("Links");
        var health = new Uri(ServerAddress, "/healthz?from=chat").ToString();
        var text = $"status ({health}), not javascript:alert(document.cookie) nor JaVaScRiPt:alert(1) " +
            "nor data:text/html,<b>bold</b> nor [x](javascript:alert(2)) nor http://[broken";
        await alice.SendAsync(text);

        var message = bob.Page.GetByTestId("messages").GetByTestId("message-text");
        await Expect(message).ToHaveTextAsync(text);
        var links = message.GetByTestId("message-link");
        await Expect(links).ToHaveCountAsync(1);
        await Expect(links).ToHaveTextAsync(health);
        await Expect(links).ToHaveAttributeAsync("href", health);
        await Expect(links).ToHaveAttributeAsync("target", "_blank");
        await Expect(links).ToHaveAttributeAsync("rel", "noopener noreferrer");
        await Expect(message.Locator("a:not([data-testid=message-link]), b, [href^='javascript' i]")).ToHaveCountAsync(0);

        var opened = await bob.Page.Context.RunAndWaitForPageAsync(() => links.ClickAsync());
        await opened.WaitForLoadStateAsync();
        Assert.Equal(health, opened.Url);
        Assert.True(await opened.EvaluateAsync<bool>("() => window.opener === null"));
        Assert.Equal("", await opened.EvaluateAsync<string>("() => document.referrer"));
        await opened.CloseAsync();
    });
}
