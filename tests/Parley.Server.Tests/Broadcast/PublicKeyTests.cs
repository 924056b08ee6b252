using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Broadcast;
using Parley.Server.Broadcast;
using Parley.Testing;
using static Parley.Server.Tests.Broadcast.BroadcastDriver;

namespace Parley.Server.Tests.Broadcast;

/// <summary>The upload role publishes its signing public key, and nothing secret, so anyone can verify a plain ticket.</summary>
public sealed class PublicKeyTests
{
    [Fact]
    public async Task A_plain_ticket_verifies_with_the_published_key_alone()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Broadcast:EncryptTickets"] = "false" });
        var api = new Api(server);
        var alice = await api.NewUser("alice");
        var room = await api.NewRoom(alice);
        var ticket = await Ticket(alice, room.Id, Picture(3));

        var published = await Api.Read<PublicTicketKeysDto>(await server.CreateHttpClient().GetAsync("/api/broadcast/keys"));

        var keys = published.Signing.ToDictionary(k => k.Id, k =>
        {
            var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(k.PublicKey), out _);
            return key;
        });
        Assert.Equal(TicketDefect.None, TicketCodec.Decode(ticket, id => keys.GetValueOrDefault(id), _ => null, out var payload));
        Assert.Equal((alice.Id, room.Id), (payload!.UserId, payload.RoomId));
        Assert.All(published.Signing, k => Assert.Equal(new TicketSigningKey(keys[k.Id]).Id, k.Id));
    }

    [Fact]
    public async Task The_published_keys_never_include_the_dynamic_keys()
    {
        await using var server = await RunningServer.StartAsync();
        var api = new Api(server);
        var alice = await api.NewUser("alice");
        var room = await api.NewRoom(alice);
        await Ticket(alice, room.Id, Picture(4)); // makes a dynamic key

        var body = await server.CreateHttpClient().GetStringAsync("/api/broadcast/keys");

        var secrets = server.Services.GetRequiredService<TicketKeys>().Export().Dynamic;
        Assert.NotEmpty(secrets);
        Assert.All(secrets, k => Assert.DoesNotContain(k.Key, body));
        Assert.DoesNotContain("dynamic", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_node_key_and_the_signing_key_exist_from_the_first_start()
    {
        await using var server = await RunningServer.StartAsync();

        Assert.True(File.Exists(Path.Combine(server.DataDirectory, "node.key")));
        Assert.True(File.Exists(Path.Combine(server.DataDirectory, "ticket-signing.pem")));
    }
}
