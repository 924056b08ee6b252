using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parley.Core.Passphrase;

namespace Parley.Client.Tests.Passphrase;

/// <summary>
/// A relay that swaps the SPAKE2 share of the start request for another valid P-256 point on its
/// way to the server: a man in the middle who does not know the passphrase. Only key confirmation can tell.
/// </summary>
internal sealed class ShareSwappingRelay : DelegatingHandler
{
    public bool Swapped { get; private set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath == "/api/passphrase/sessions")
        {
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(ct))!.AsObject();
            var impostor = Spake2.Start(Spake2Role.A, PassphraseSecret.Derive("the attacker's guess", "mallory", "code"));
            body["share"] = Convert.ToBase64String(impostor.Share);
            request.Content = JsonContent.Create(body);
            Swapped = true;
        }
        return await base.SendAsync(request, ct);
    }
}

/// <summary>A relay that, while <see cref="Replaying"/>, delivers every frame the client sends twice: a replay of a captured frame.</summary>
internal sealed class FrameReplayingRelay : DelegatingHandler
{
    public bool Replaying { get; set; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (!Replaying || request.Method != HttpMethod.Post || !request.RequestUri!.AbsolutePath.EndsWith("/messages", StringComparison.Ordinal))
            return await base.SendAsync(request, ct);

        var body = await request.Content!.ReadAsStringAsync(ct);
        using var original = await base.SendAsync(Copy(request, body), ct);
        original.EnsureSuccessStatusCode();
        return await base.SendAsync(Copy(request, body), ct);
    }

    private static HttpRequestMessage Copy(HttpRequestMessage request, string body)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Content = new StringContent(body, null, "application/json") };
        copy.Headers.Authorization = request.Headers.Authorization;
        return copy;
    }
}
