using System.Text.RegularExpressions;
using Parley.Client;
using Parley.Testing;
using Xunit.Abstractions;

namespace Parley.Web.Tests;

/// <summary>A signed picture broadcast (docs/broadcast.md), as a member watching the room sees it.</summary>
public sealed class BroadcastTests(WebAppFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task A_broadcast_picture_arrives_on_the_page_and_shows_inline() => RunAsync(async () =>
    {
        var (alice, bob) = await TwoMembersAsync("Photo wall");
        await bob.MarkNotReloadedAsync();
        // Alice broadcasts from her .NET client with her page's token: a ticket from the upload role, then the broadcast.
        var session = await alice.StoredSessionAsync();
        using var client = new ParleyClient(ServerAddress, session.GetProperty("token").GetString());
        // Its own device key (the page's cannot leave the browser) signs the picture's identifier after its local scan.
        using var key = await client.ScanWithNewDeviceAsync(session.GetProperty("userId").GetString()!, Path.GetTempPath());
        var room = (await client.ListRoomsAsync()).Rooms.Single(r => r.Name == "Photo wall");
        var picture = WriteTempFile("harbour.png", TestFiles.Png(240, 160, seed: 7));

        var ticket = await client.GetTicketAsync(picture, room.Id);
        var result = await client.BroadcastAsync(room.Id, ticket.Ticket);

        Assert.Equal(1, result.Reached);
        await Expect(bob.Pictures).ToHaveJSPropertyAsync("naturalWidth", 240);
        // Named as the sender named it, not by its content hash.
        await Expect(bob.Page.GetByTestId("media-name")).ToHaveTextAsync("harbour.png");
        await Expect(bob.Page.GetByTestId("media-verified")).ToBeVisibleAsync();
        await bob.ExpectNotReloadedAsync();
    });

    [Fact]
    public Task A_picture_broadcast_from_the_page_reaches_another_page_live_named_and_marked_verified() => RunAsync(async () =>
    {
        var (alice, bob) = await TwoMembersAsync("Harbour photos");
        var aliceName = await alice.Me.TextContentAsync();
        await bob.MarkNotReloadedAsync();
        var unhandled = new List<string>();
        bob.Page.Console += (_, message) =>
        {
            if (message.Text.Contains("No client method", StringComparison.Ordinal)) unhandled.Add(message.Text);
        };

        await alice.BroadcastAsync(new FilePayload { Name = "harbour.png", MimeType = "image/png", Buffer = TestFiles.Png(240, 160, seed: 3) });

        await Expect(alice.BroadcastStatus).ToHaveTextAsync("Broadcast harbour.png to 1 other member.");
        await ExpectVerifiedPictureAsync(bob, "harbour.png", aliceName!);
        await bob.ExpectNotReloadedAsync();
        Assert.Empty(unhandled);
        // The sender sees it too, and history keeps all of it.
        await ExpectVerifiedPictureAsync(alice, "harbour.png", aliceName!);
        await bob.Page.ReloadAsync();
        await ExpectVerifiedPictureAsync(bob, "harbour.png", aliceName!);
    });

    [Fact]
    public Task A_refused_broadcast_shows_the_reason_beside_the_composer() => RunAsync(async () =>
    {
        var (alice, bob) = await TwoMembersAsync("Broken pictures");
        var sent = new List<string>();
        alice.Page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.Contains("/api/")) sent.Add(request.Url);
        };

        // Labelled a PNG, but not a picture at all: the page's security check refuses it before anything is sent
        // (the broadcast role's own refusal of undecodable pictures is the server tests' business).
        await alice.BroadcastAsync(new FilePayload { Name = "broken.png", MimeType = "image/png", Buffer = "not a picture"u8.ToArray() });

        await Expect(alice.BroadcastStatus).ToHaveAttributeAsync("data-state", "refused");
        await Expect(alice.BroadcastStatus.GetByTestId("scan-refusal-title")).ToHaveTextAsync("Not sent: broken.png");
        await Expect(alice.BroadcastStatus.Locator("[data-code='type.unknown']")).ToContainTextAsync("It is not a picture, video or audio Parley can check");
        Assert.Empty(sent);
        await Expect(alice.Problems).ToHaveCountAsync(0);
        await Expect(bob.Page.GetByTestId("message")).ToHaveCountAsync(0);

        // Dismissed, it goes; a broadcast that works afterwards says so in the same place.
        await alice.BroadcastStatus.GetByTestId("broadcast-dismiss").ClickAsync();
        await Expect(alice.BroadcastStatus).ToBeHiddenAsync();
        await alice.BroadcastAsync(new FilePayload { Name = "fixed.png", MimeType = "image/png", Buffer = TestFiles.Png(64, 64, seed: 4) });
        await Expect(alice.BroadcastStatus).ToHaveAttributeAsync("data-state", "sent");
        await Expect(bob.Page.GetByTestId("media-name")).ToHaveTextAsync("fixed.png");
    });

    [Fact]
    public Task With_the_roles_apart_the_page_sends_each_half_to_the_node_that_plays_it() => RunAsync(async () =>
    {
        await using var nodes = await BroadcastNodes.StartAsync("web-broadcast-node-key-0123456789");
        // Both users know the upload node only, as a user would; discovery names the broadcast node.
        var (alice, bob) = await TwoMembersAsync("Split roles", await OpenAsync("alice", nodes.Upload.BaseAddress), await OpenAsync("bob", nodes.Upload.BaseAddress));
        var aliceName = await alice.Me.TextContentAsync();
        var broadcastNode = nodes.Broadcast.BaseAddress.GetLeftPart(UriPartial.Authority);
        var sentToBroadcastNode = new List<string>();
        alice.Page.Request += (_, request) =>
        {
            if (request.Url.StartsWith(broadcastNode, StringComparison.Ordinal)) sentToBroadcastNode.Add($"{request.Method} {new Uri(request.Url).AbsolutePath}");
        };

        await alice.BroadcastAsync(new FilePayload { Name = "pier.png", MimeType = "image/png", Buffer = TestFiles.Png(240, 160, seed: 5) });

        await Expect(alice.BroadcastStatus).ToHaveTextAsync("Broadcast pier.png to 1 other member.");
        await ExpectVerifiedPictureAsync(bob, "pier.png", aliceName!);
        Assert.Contains("POST /api/broadcasts", sentToBroadcastNode);
        Assert.DoesNotContain(sentToBroadcastNode, request => request.Contains("/api/transfers", StringComparison.Ordinal));
    });

    /// <summary>The newest message on the page is the picture, drawn, with its name, its sender and the verified mark.</summary>
    private static async Task ExpectVerifiedPictureAsync(ParleyPage page, string name, string sender)
    {
        var message = page.Page.GetByTestId("messages").GetByTestId("message").Last;
        await Expect(message.GetByTestId("media-image")).ToHaveJSPropertyAsync("naturalWidth", 240);
        await Expect(message.GetByTestId("media-name")).ToHaveTextAsync(name);
        await Expect(message.GetByTestId("media-verified")).ToHaveTextAsync("Verified broadcast");
        await Expect(message.GetByTestId("message-sender")).ToHaveTextAsync(sender);
    }
}
