using System.Buffers.Text;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parley.Client.Views;
using Parley.Core.Json;
using Parley.Core.Views;

namespace Parley.Client.Tests.Views;

/// <summary><see cref="ViewsClient"/> against a real server: an honest watch counts, and a play the pinned key does not vouch for is refused.</summary>
public sealed class WatchTests(ViewsServerFixture fixture) : IClassFixture<ViewsServerFixture>
{
    [Fact]
    public async Task An_honest_watch_is_legal_and_counted_once()
    {
        var (alice, bob) = (await fixture.NewUserAsync("alice"), await fixture.NewUserAsync("bob"));
        var media = await fixture.SendVideoAsync(alice, bob);
        var progress = new List<WatchProgress>();

        var record = await bob.Client.Views.WatchAsync(media, progress: new Collect(progress));

        Assert.True(record.Verdict == PlayVerdicts.Legal, string.Join(", ", record.Reasons));
        Assert.True(record.Counted);
        Assert.Equal(1, record.WatchedShare, precision: 2);
        Assert.Equal(record.BytesServed, record.BytesReported);
        Assert.InRange(record.SealedReports, 3, 5);
        Assert.InRange(record.PlainReports, 1, 3);
        Assert.Equal(progress[^1].Size, progress[^1].BytesReceived);
        Assert.Equal(progress[^1].DurationMs, progress[^1].PositionMs);
        var count = await alice.Client.Views.GetViewsAsync(media);
        Assert.Equal((1L, 0L), (count.Views, count.OpenPlays));
        var listed = Assert.Single((await alice.Client.Views.GetRecordsAsync(media)).Records);
        Assert.Equal((record.PlayId, bob.Name, PlayVerdicts.Legal), (listed.PlayId, listed.UserName, listed.Verdict));
    }

    [Fact]
    public async Task A_pinned_key_other_than_the_servers_refuses_the_play()
    {
        var (alice, bob) = (await fixture.NewUserAsync("alice"), await fixture.NewUserAsync("bob"));
        var media = await fixture.SendVideoAsync(alice, bob);
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var otherPublic = Base64Url.EncodeToString(other.ExportSubjectPublicKeyInfo());
        bob.Client.Views.Pins.Pin(new ViewKeyDto(ViewKeyCheck.KeyIdOf(otherPublic), otherPublic));

        var refusal = await Assert.ThrowsAsync<ViewKeyPinException>(() => bob.Client.Views.WatchAsync(media));

        Assert.Equal(ViewClientCodes.KeyChanged, refusal.Code);
        Assert.Equal(0, (await alice.Client.Views.GetViewsAsync(media)).Views);
    }

    [Fact]
    public async Task A_server_signature_tampered_on_the_way_refuses_the_play()
    {
        var (alice, bob) = (await fixture.NewUserAsync("alice"), await fixture.NewUserAsync("bob"));
        var media = await fixture.SendVideoAsync(alice, bob);
        using var tamper = new SignatureTamper();
        var client = fixture.NewClient(bob, tamper);
        client.Views.DeviceKey = bob.Client.Scanning!.Key;

        var refusal = await Assert.ThrowsAsync<ViewKeyPinException>(() => client.Views.WatchAsync(media));

        Assert.Equal(ViewClientCodes.SignatureInvalid, refusal.Code);
        Assert.True(tamper.Tampered);
        Assert.Equal(0, (await alice.Client.Views.GetViewsAsync(media)).Views);
    }

    private sealed class Collect(List<WatchProgress> list) : IProgress<WatchProgress>
    {
        public void Report(WatchProgress value)
        {
            lock (list) list.Add(value);
        }
    }

    /// <summary>Flips a bit of the server's signature in the play start answer, as someone between client and server would.</summary>
    private sealed class SignatureTamper() : DelegatingHandler(new SocketsHttpHandler())
    {
        public bool Tampered { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var response = await base.SendAsync(request, ct);
            if (request.Method != HttpMethod.Post || request.RequestUri!.AbsolutePath != "/api/views/plays" || !response.IsSuccessStatusCode) return response;
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!;
            var signature = Base64Url.DecodeFromChars((string)body["serverSignature"]!);
            signature[0] ^= 1;
            body["serverSignature"] = Base64Url.EncodeToString(signature);
            response.Content = JsonContent.Create(body, options: ParleyJson.Options);
            Tampered = true;
            return response;
        }
    }
}
