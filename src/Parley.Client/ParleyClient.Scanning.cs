using System.Globalization;
using Parley.Core.Scanning.Features;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    /// <summary>The server's library version and, as a <c>parley-features-delta 1</c> text, the changes after <paramref name="since"/> (0: everything).</summary>
    public Task<FeatureLibraryDto> GetFeatureLibraryAsync(long since = 0, CancellationToken ct = default) =>
        GetAsync<FeatureLibraryDto>($"/api/scanning/library?since={since.ToString(CultureInfo.InvariantCulture)}", ct);

    /// <summary>Operators: publishes the features of a ClamAV <c>.hsb</c>/<c>.hdb</c>/<c>.ndb</c> file or a Parley feature file as the next version.</summary>
    public Task<ImportFeaturesResult> ImportFeaturesAsync(string fileName, string text, CancellationToken ct = default) =>
        PostAsync<ImportFeaturesResult>("/api/scanning/library", new ImportFeaturesRequest(fileName, text), ct);
}
