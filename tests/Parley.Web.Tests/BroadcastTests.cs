using Parley.Client;
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
        var token = (await alice.StoredSessionAsync()).GetProperty("token").GetString();
        using var client = new ParleyClient(ServerAddress, token);
        var room = (await client.ListRoomsAsync()).Rooms.Single(r => r.Name == "Photo wall");
        var picture = WriteTempFile("harbour.png", TestFiles.Png(240, 160, seed: 7));

        var ticket = await client.GetTicketAsync(picture, room.Id);
        var result = await client.BroadcastAsync(room.Id, ticket.Ticket);

        Assert.Equal(1, result.Reached);
        await Expect(bob.Pictures).ToHaveJSPropertyAsync("naturalWidth", 240);
        await bob.ExpectNotReloadedAsync();
    });
}
