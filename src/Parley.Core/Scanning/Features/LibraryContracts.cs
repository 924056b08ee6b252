namespace Parley.Core.Scanning.Features;

/// <summary>
/// <c>GET /api/scanning/library?since=V</c>: the server's version and <see cref="FeatureText.Write(FeatureDelta)"/>
/// of everything after V (a <c>parley-features-delta 1</c> text).
/// </summary>
public sealed record FeatureLibraryDto(long Version, string Delta);

/// <summary>Live event <c>libraryUpdated</c>: the server published <see cref="Version"/>; <see cref="Delta"/> takes a copy at <see cref="From"/> there.</summary>
public sealed record LibraryUpdatedEvent(long Version, long From, string Delta);

/// <summary>
/// <c>POST /api/scanning/library</c> (operators): <see cref="FileName"/> chooses the reader, ClamAV <c>.hsb</c>,
/// <c>.hdb</c>, <c>.ndb</c>, or else Parley's feature text (a <c>parley-features 1</c> library whose features are added).
/// </summary>
public sealed record ImportFeaturesRequest(string FileName, string Text);

public sealed record SkippedLineDto(int Line, string Reason);

/// <summary>The version after the import (unchanged when nothing was added), how many features it added, and the lines left out.</summary>
public sealed record ImportFeaturesResult(long Version, int Added, IReadOnlyList<SkippedLineDto> Skipped);

public static class LibraryEvents
{
    /// <summary>Payload: <see cref="LibraryUpdatedEvent"/>, sent to every connected user.</summary>
    public const string LibraryUpdated = "libraryUpdated";
}
