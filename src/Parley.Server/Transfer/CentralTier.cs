using System.Net.Http.Json;
using Parley.Core.Json;
using Parley.Core.Transfer;

namespace Parley.Server.Transfer;

/// <summary>The tier above this node: an edge asks its central node for content it lacks (SPEC §1, step 5).</summary>
public interface ICentralTier
{
    bool Enabled { get; }

    /// <summary>Does central have the content? If so, its answer to the challenge, computed over its copy.</summary>
    Task<CentralQueryResponse> QueryAsync(CentralQueryRequest query, CancellationToken ct);

    Task<Stream> OpenAsync(string contentId, CancellationToken ct);
}

public sealed class CentralUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A central node (or the single-process server) has no tier above it.</summary>
public sealed class NoCentralTier : ICentralTier
{
    public bool Enabled => false;
    public Task<CentralQueryResponse> QueryAsync(CentralQueryRequest query, CancellationToken ct) => throw new InvalidOperationException("No central tier.");
    public Task<Stream> OpenAsync(string contentId, CancellationToken ct) => throw new InvalidOperationException("No central tier.");
}

/// <summary>An edge's client for its central node's <c>/api/nodes</c> endpoints, authenticated with the node key.</summary>
public sealed class CentralClient(HttpClient http) : ICentralTier
{
    public bool Enabled => true;

    public async Task<CentralQueryResponse> QueryAsync(CentralQueryRequest query, CancellationToken ct)
    {
        using var span = TransferMetrics.Tracing.StartActivity("transfer.central.query");
        var response = await Send(() => http.PostAsJsonAsync("api/nodes/blobs/query", query, ParleyJson.Options, ct));
        using (response)
            return await response.Content.ReadFromJsonAsync<CentralQueryResponse>(ParleyJson.Options, ct)
                ?? throw new CentralUnavailableException("Central answered an empty body.");
    }

    public async Task<Stream> OpenAsync(string contentId, CancellationToken ct)
    {
        using var span = TransferMetrics.Tracing.StartActivity("transfer.central.fetch");
        var response = await Send(() => http.GetAsync($"api/nodes/blobs/{Uri.EscapeDataString(contentId)}", HttpCompletionOption.ResponseHeadersRead, ct));
        return await response.Content.ReadAsStreamAsync(ct);
    }

    private static async Task<HttpResponseMessage> Send(Func<Task<HttpResponseMessage>> call)
    {
        HttpResponseMessage response;
        try
        {
            response = await call();
        }
        catch (HttpRequestException e)
        {
            throw new CentralUnavailableException("Central node unreachable.", e);
        }
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            throw new CentralUnavailableException($"Central node answered {(int)response.StatusCode}.");
        }
        return response;
    }
}
