using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Parley.Core.Problems;
using Parley.Core.Scanning.Features;
using Parley.Server.Accounts;
using Parley.Server.ApiDocs;
using Parley.Server.Problems;
using Parley.Server.Storage;

namespace Parley.Server.Scanning;

/// <summary>The feature library every client scans with (docs/scanning.md, "Library over HTTP").</summary>
public static class ScanningEndpoints
{
    /// <summary>A large ClamAV .ndb/.hsb file; far above the default JSON body limit.</summary>
    private const long ImportBodyLimit = 32L * 1024 * 1024;

    public static void MapScanningEndpoints(this IEndpointRouteBuilder app)
    {
        var scanning = app.MapGroup("/api/scanning").WithTags("Scanning").RequireAuthorization();
        scanning.MapGet("/library", GetLibrary)
            .WithName("GetFeatureLibrary")
            .WithSummary("The feature library's version and the changes since the caller's version.")
            .WithDescription("`?since=V`: the changes after version V as `parley-features-delta 1` text (docs/scanning.md); omitted or 0: everything.")
            .ProducesProblems(ProblemCodes.RequestInvalid);
        scanning.MapPost("/library", Import)
            .WithName("ImportFeatures")
            .WithSummary("Publish features (operators)")
            .WithDescription("Adds ClamAV (.hsb, .hdb, .ndb) or Parley-format features as the library's next version and tells every connected client live. Only users named in Parley:Operators.")
            .OperatorsOnly()
            .ProducesProblems(ProblemCodes.ScanInvalidFeatures)
            .WithMetadata(new RequestSizeLimitAttribute(ImportBodyLimit));
        scanning.MapOperatorViews();
    }

    private static async Task<Results<Ok<FeatureLibraryDto>, ProblemHttpResult>> GetLibrary(
        string? since, ParleyDbContext db, FeatureLibraryService library, CancellationToken ct)
    {
        var current = await library.CurrentAsync(db, ct);
        long from = 0;
        if (since is not null && (!long.TryParse(since, System.Globalization.NumberStyles.None, null, out from) || from > current.Version))
            return new Refusal(ProblemCodes.RequestInvalid, $"'since' must be a version from 0 to {current.Version}.").ToProblem();
        return TypedResults.Ok(new FeatureLibraryDto(current.Version, FeatureText.Write(current.DeltaSince(from))));
    }

    private static async Task<Results<Ok<ImportFeaturesResult>, ProblemHttpResult>> Import(
        ImportFeaturesRequest request, ClaimsPrincipal principal, ParleyDbContext db, FeatureLibraryService library, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.FileName) || request.Text is null)
            return new Refusal(ProblemCodes.RequestInvalid, "Give the file's name and its text.").ToProblem();
        ClamAvImport read;
        try
        {
            read = Read(request.FileName, request.Text);
        }
        catch (FeatureFormatException e)
        {
            return new Refusal(ProblemCodes.ScanInvalidFeatures, e.Message).ToProblem();
        }
        var skipped = read.Skipped.Select(n => new SkippedLineDto(n.LineNumber, n.Reason)).ToList();
        if (read.Features.Count == 0)
            return TypedResults.Ok(new ImportFeaturesResult((await library.CurrentAsync(db, ct)).Version, 0, skipped));
        var published = await library.PublishAsync(db, read.Features, principal.UserId(), ct);
        return TypedResults.Ok(new ImportFeaturesResult(published.Version, read.Features.Count, skipped));
    }

    /// <summary>ClamAV files by their extension; anything else is a Parley library text whose features are taken.</summary>
    private static ClamAvImport Read(string fileName, string text)
    {
        if (Path.GetExtension(fileName).ToLowerInvariant() is ".hsb" or ".hdb" or ".ndb")
            return ClamAvImporter.Import(fileName, text);
        var parsed = FeatureText.ParseLibrary(text);
        return new ClamAvImport([.. parsed.Features.Select(f => f.Feature)], []);
    }
}
