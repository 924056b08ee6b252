using System.Globalization;
using Parley.Core.Scanning;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    /// <summary>Whether the signed-in user is one of the server's operators (who may call the operator methods below).</summary>
    public Task<ScanningAccountDto> GetScanningAccountAsync(CancellationToken ct = default) =>
        GetAsync<ScanningAccountDto>("/api/scanning/me", ct);

    /// <summary>Operators: the second detection's verdicts, newest first; only <paramref name="contentId"/>'s when given.</summary>
    public Task<IReadOnlyList<ScanVerdictDto>> GetScanVerdictsAsync(string? contentId = null, int? limit = null, CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<ScanVerdictDto>>("/api/scanning/verdicts" + Query(("contentId", contentId), ("limit", Number(limit))), ct);

    /// <summary>The signed-in user's own verdicts, newest first.</summary>
    public Task<IReadOnlyList<ScanVerdictDto>> GetMyScanVerdictsAsync(int? limit = null, CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<ScanVerdictDto>>("/api/scanning/verdicts/mine" + Query(("limit", Number(limit))), ct);

    /// <summary>Operators: quarantined media no operator released, newest first, with the rooms it reached.</summary>
    public Task<IReadOnlyList<QuarantineDto>> GetQuarantinesAsync(CancellationToken ct = default) =>
        GetAsync<IReadOnlyList<QuarantineDto>>("/api/scanning/quarantines", ct);

    /// <summary>Operators: serves quarantined media again (<c>scan.not_quarantined</c> when it is not quarantined).</summary>
    public async Task ReleaseQuarantineAsync(string contentId, CancellationToken ct = default)
    {
        using var _ = await SendRawAsync(HttpMethod.Post, $"/api/scanning/quarantines/{Segment(contentId)}/release", body: null, ct);
    }

    private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return given.Count == 0 ? "" : "?" + string.Join('&', given);
    }
}
