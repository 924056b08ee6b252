using System.Globalization;
using Parley.Client.Scanning;
using Parley.Core.Scanning.Features;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    /// <summary>
    /// The first detection of every share this client makes (files, broadcast pictures, passphrase files): the device
    /// key and library it uses. Null shares without scanning or identifiers, which a server that checks refuses
    /// (<c>share.identifier_missing</c>); set it once the device is registered, for the token's device.
    /// </summary>
    public ShareScanning? Scanning { get; set; }

    /// <summary>The server's library version and, as a <c>parley-features-delta 1</c> text, the changes after <paramref name="since"/> (0: everything).</summary>
    public Task<FeatureLibraryDto> GetFeatureLibraryAsync(long since = 0, CancellationToken ct = default) =>
        GetAsync<FeatureLibraryDto>($"/api/scanning/library?since={since.ToString(CultureInfo.InvariantCulture)}", ct);

    /// <summary>Operators: publishes the features of a ClamAV <c>.hsb</c>/<c>.hdb</c>/<c>.ndb</c> file or a Parley feature file as the next version.</summary>
    public Task<ImportFeaturesResult> ImportFeaturesAsync(string fileName, string text, CancellationToken ct = default) =>
        PostAsync<ImportFeaturesResult>("/api/scanning/library", new ImportFeaturesRequest(fileName, text), ct);
}
