using System.Buffers.Text;
using System.Net.Http.Headers;
using Parley.Core.Views;

namespace Parley.Client.Views;

/// <summary>
/// One started play whose server share verified against the pinned view key: it owns the play key, opens the play's
/// stream and sends its reports. These are the protocol's low-level steps; <see cref="ViewsClient.WatchAsync"/> runs them
/// at playback pace. Disposing it forgets the key (the play itself ends with <see cref="EndAsync"/>).
/// </summary>
public sealed class PlaySession : IDisposable
{
    private readonly ParleyClient _client;
    private readonly PlayKey _key;

    internal PlaySession(ParleyClient client, PlayStartedDto started, string clientShare, PlayKey key)
    {
        _client = client;
        Started = started;
        ClientShare = clientShare;
        _key = key;
    }

    public PlayStartedDto Started { get; }

    public string PlayId => Started.PlayId;

    /// <summary>This play's public ECDH share, as sent in the start request.</summary>
    public string ClientShare { get; }

    /// <summary>Seals <paramref name="report"/> under the play key, for this play (a fresh nonce each time).</summary>
    public byte[] Seal(in PlayReport report) => _key.Seal(PlayId, report);

    /// <summary>
    /// Requests the bytes <paramref name="from"/>–<paramref name="to"/> (inclusive; null: to the end) of the play's stream.
    /// The caller reads and disposes the answer; a refusal throws the server's problem.
    /// </summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(long from, long? to = null, CancellationToken ct = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Started.StreamUrl) { Headers = { Range = new RangeHeaderValue(from, to) } };
        var response = await _client.SendWithTokenAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        try
        {
            await ParleyClient.ThrowIfFailedAsync(response, ct);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Seals and sends a report (the first instruction).</summary>
    public Task<PlayReportAcceptedDto> SendSealedAsync(PlayReport report, CancellationToken ct = default) =>
        SendSealedEnvelopeAsync(Seal(report), ct);

    /// <summary>Sends an envelope as it is: a sealed report made earlier (or by a test's hand).</summary>
    public Task<PlayReportAcceptedDto> SendSealedEnvelopeAsync(byte[] envelope, CancellationToken ct = default) =>
        SendReportAsync(new PlayReportRequest(Base64Url.EncodeToString(envelope), null), ct);

    /// <summary>Sends a report in clear (the second instruction).</summary>
    public Task<PlayReportAcceptedDto> SendPlainAsync(PlayReport report, CancellationToken ct = default) =>
        SendReportAsync(new PlayReportRequest(null, Base64Url.EncodeToString(report.ToBytes())), ct);

    /// <summary>Sends a report request as given: exactly one of its members should be set.</summary>
    public Task<PlayReportAcceptedDto> SendReportAsync(PlayReportRequest request, CancellationToken ct = default) =>
        _client.PostJsonAsync<PlayReportAcceptedDto>($"/api/views/plays/{ParleyClient.PathSegment(PlayId)}/reports", request, ct);

    /// <summary>Ends the play; the answer is its final record.</summary>
    public Task<PlayRecordDto> EndAsync(CancellationToken ct = default) =>
        _client.PostJsonAsync<PlayRecordDto>($"/api/views/plays/{ParleyClient.PathSegment(PlayId)}/end", null, ct);

    /// <summary>The play's record as it stands (open or final).</summary>
    public Task<PlayRecordDto> GetRecordAsync(CancellationToken ct = default) =>
        _client.GetJsonAsync<PlayRecordDto>($"/api/views/plays/{ParleyClient.PathSegment(PlayId)}", ct);

    public void Dispose() => _key.Dispose();
}
