using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Broadcast;
using Parley.Core.Json;
using Parley.Server.Broadcast;
using Parley.Server.Transfer;
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

        var secrets = (await server.Services.GetRequiredService<TicketKeys>().ExportAsync(CancellationToken.None)).Dynamic;
        Assert.NotEmpty(secrets);
        Assert.All(secrets, k => Assert.DoesNotContain(k.Key, body));
        Assert.DoesNotContain("dynamic", body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_node_key_and_the_signing_key_exist_from_the_first_start_in_the_database()
    {
        await using var server = await RunningServer.StartAsync();

        var secrets = await new Api(server).InDatabase(db => db.SharedSecrets.ToDictionaryAsync(s => s.Name, s => s.Value));
        Assert.Equal(["node-key", "ticket-signing-key"], secrets.Keys.Order());
        // The operator's copy of the node key, to hand to the nodes that call this one.
        Assert.Equal(secrets["node-key"], File.ReadAllText(Path.Combine(server.DataDirectory, "node.key")));
    }

    [Fact]
    public async Task Keys_an_earlier_version_kept_in_the_data_folder_carry_over_into_the_database()
    {
        var data = Path.Combine(Path.GetTempPath(), "parley-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        using var signing = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var dynamic = new DynamicKeyDto(77, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), DateTimeOffset.UtcNow.AddMinutes(-1));
        File.WriteAllText(Path.Combine(data, "node.key"), "earlier-node-key-0123456789");
        File.WriteAllText(Path.Combine(data, "ticket-signing.pem"), signing.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(data, "ticket-keys.json"), JsonSerializer.Serialize(new[] { dynamic }, ParleyJson.Options));

        await using var server = await RunningServer.StartAsync(dataDirectory: data);

        Assert.Equal("earlier-node-key-0123456789", server.Services.GetRequiredService<NodeKey>().Value);
        var published = await Api.Read<PublicTicketKeysDto>(await server.CreateHttpClient().GetAsync("/api/broadcast/keys"));
        Assert.Equal(Convert.ToBase64String(signing.ExportSubjectPublicKeyInfo()), Assert.Single(published.Signing).PublicKey);
        var keys = server.Services.GetRequiredService<TicketKeys>();
        Assert.NotNull(await keys.FindDynamicAsync(77, CancellationToken.None));
        Assert.Equal(dynamic.Key, Assert.Single((await keys.ExportAsync(CancellationToken.None)).Dynamic, k => k.Id == 77).Key);
        // The database is now the one place they are kept; the node key file stays for the operator.
        Assert.False(File.Exists(Path.Combine(data, "ticket-signing.pem")));
        Assert.False(File.Exists(Path.Combine(data, "ticket-keys.json")));
        Assert.True(File.Exists(Path.Combine(data, "node.key")));
    }
}
