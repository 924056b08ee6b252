using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Parley.Client.Views;
using Parley.Core.Views;

namespace Parley.Client.Tests.Views;

/// <summary>The view key is pinned on first use; a play signed by another key, or with a signature that does not verify, is refused before any byte is streamed.</summary>
public sealed class ViewKeyPinTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-view-pins-").FullName;
    private readonly FakeTimeProvider _time = new();
    private readonly DeviceKey _device = DeviceKey.Create();

    [Fact]
    public async Task The_first_play_pins_the_key_and_a_play_signed_by_another_key_is_refused()
    {
        using var server = new FakeViewServer(new byte[1000], 1000, _time);
        using var client = ClientOf(server);
        using (await client.Views.StartPlayAsync("m_video")) { }
        Assert.Equal(server.Key, client.Views.Pins.Pinned());

        server.SigningKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var refusal = await Assert.ThrowsAsync<ViewKeyPinException>(() => client.Views.StartPlayAsync("m_video"));

        Assert.Equal(ViewClientCodes.KeyChanged, refusal.Code);
        Assert.Contains(server.Key.KeyId, refusal.Message);
        Assert.NotEqual(server.Key, client.Views.Pins.Pinned());
    }

    [Fact]
    public async Task A_tampered_server_signature_is_refused_and_nothing_is_streamed()
    {
        using var server = new FakeViewServer(new byte[1000], 1000, _time) { TamperSignature = true };
        using var client = ClientOf(server);

        var refusal = await Assert.ThrowsAsync<ViewKeyPinException>(() => client.Views.WatchAsync("m_video", new WatchOptions { Time = _time }));

        Assert.Equal(ViewClientCodes.SignatureInvalid, refusal.Code);
        Assert.Empty(server.Ranges);
        Assert.Empty(server.Reports);
    }

    [Fact]
    public async Task A_key_whose_id_is_not_its_hash_is_not_pinned()
    {
        using var server = new FakeViewServer(new byte[1000], 1000, _time);
        server.OfferedKey = server.Key with { KeyId = "vk_0000000000000000" };
        using var client = ClientOf(server);

        var refusal = await Assert.ThrowsAsync<ViewKeyPinException>(() => client.Views.StartPlayAsync("m_video"));

        Assert.Equal(ViewClientCodes.KeyChanged, refusal.Code);
        Assert.Null(client.Views.Pins.Pinned());
    }

    [Fact]
    public void The_file_pin_survives_a_new_store_and_a_damaged_file_is_an_error_not_an_empty_pin()
    {
        var path = Path.Combine(_folder, "servers", "pin.json");
        Assert.Null(new FileViewKeyPinStore(path).Pinned());
        var key = new ViewKeyDto("vk_0123456789abcdef", "AAAA");

        new FileViewKeyPinStore(path).Pin(key);
        Assert.Equal(key, new FileViewKeyPinStore(path).Pinned());
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));

        File.WriteAllText(path, "{\"keyId\":");
        Assert.Equal(ViewClientCodes.PinDamaged, Assert.Throws<ViewKeyPinException>(() => new FileViewKeyPinStore(path).Pinned()).Code);
        File.WriteAllText(path, "{}");
        Assert.Equal(ViewClientCodes.PinDamaged, Assert.Throws<ViewKeyPinException>(() => new FileViewKeyPinStore(path).Pinned()).Code);
    }

    private ParleyClient ClientOf(FakeViewServer server)
    {
        var client = new ParleyClient(new Uri("http://views.test"), "token", server);
        client.Views.DeviceKey = _device;
        return client;
    }

    public void Dispose()
    {
        _device.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
