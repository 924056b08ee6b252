namespace Parley.Server.Bus;

/// <summary>
/// The bus of an upload/broadcast pair that has no Redis: each node delivers here and posts the
/// message to its one peer (<c>POST /api/nodes/bus/{channel}</c>, node key), which delivers it
/// there and passes it no further. So members connected to either node get every live event.
/// </summary>
public sealed class PeerBus(IHttpClientFactory clients, ILogger<PeerBus> log) : NodeBus(log)
{
    public const string PeerClient = "parley-peer";

    protected override async Task Send(string channel, string json, CancellationToken ct)
    {
        var here = DeliverHere(channel, json);
        try
        {
            using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
            using var response = await clients.CreateClient(PeerClient).PostAsync($"api/nodes/bus/{Uri.EscapeDataString(channel)}", content, ct);
            if (!response.IsSuccessStatusCode) log.LogWarning("The peer node refused bus channel {Channel}: {Status}.", channel, (int)response.StatusCode);
        }
        catch (HttpRequestException e)
        {
            log.LogWarning(e, "Could not reach the peer node for bus channel {Channel}.", channel);
        }
        await here;
    }
}
