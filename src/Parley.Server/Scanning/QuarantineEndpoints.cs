using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Parley.Core.Problems;
using Parley.Core.Scanning;
using Parley.Server.Accounts;
using Parley.Server.ApiDocs;
using Parley.Server.Hosting;
using Parley.Server.Problems;

namespace Parley.Server.Scanning;

/// <summary>Verdicts, quarantines and releases (docs/scanning.md, "Operators and quarantine"), on the <c>/api/scanning</c> group.</summary>
internal static class QuarantineEndpoints
{
    public static void MapOperatorViews(this RouteGroupBuilder scanning)
    {
        scanning.MapGet("/verdicts", (string? contentId, int? limit, VerdictReader verdicts, CancellationToken ct) =>
                verdicts.ListAsync(contentId, null, limit, ct).ToOk())
            .OperatorsOnly()
            .WithName("ListScanVerdicts")
            .WithSummary("The second detection's verdicts (operators)")
            .WithDescription($"Newest first; `?contentId=` only that content's; `limit` is 1–{VerdictReader.MaxLimit} ({VerdictReader.DefaultLimit} by default).")
            .ProducesProblems(ProblemCodes.RequestInvalid);
        scanning.MapGet("/verdicts/mine", (int? limit, ClaimsPrincipal principal, VerdictReader verdicts, CancellationToken ct) =>
                verdicts.ListAsync(null, principal.UserId(), limit, ct).ToOk())
            .WithName("ListMyScanVerdicts")
            .WithSummary("The caller's own verdicts")
            .WithDescription($"What the second detection decided on the caller's shares, newest first; `limit` is 1–{VerdictReader.MaxLimit} ({VerdictReader.DefaultLimit} by default).")
            .ProducesProblems(ProblemCodes.RequestInvalid);
        scanning.MapGet("/quarantines", (int? limit, QuarantineService quarantines, CancellationToken ct) => quarantines.ListAsync(limit, ct).ToOk())
            .OperatorsOnly()
            .WithName("ListQuarantines")
            .WithSummary("Quarantined media (operators)")
            .WithDescription($"Media a later library version matched and no operator released, newest first, with the rooms it reached; `limit` is 1–{QuarantineService.MaxListed} (all of them by default).")
            .ProducesProblems(ProblemCodes.RequestInvalid);
        scanning.MapPost("/quarantines/{contentId}/release", Release)
            .OperatorsOnly()
            .WithName("ReleaseQuarantine")
            .WithSummary("Release quarantined media (operators)")
            .WithDescription("The media is served again and its rooms are told live (`mediaReleased`); rescans against library versions up to the current one leave it alone.")
            .ProducesProblems(ProblemCodes.ScanNotQuarantined);
        scanning.MapGet("/me", (ClaimsPrincipal principal, IOptions<ParleyOptions> options) => TypedResults.Ok(new ScanningAccountDto(options.Value.IsOperator(principal))))
            .WithName("GetScanningAccount")
            .WithSummary("Whether the caller is an operator")
            .WithDescription("So that clients know whether to offer the operator pages (verdicts, quarantines, feature import).");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Release(
        string contentId, ClaimsPrincipal principal, QuarantineService quarantines, CancellationToken ct) =>
        await quarantines.ReleaseAsync(contentId, principal.UserId(), ct) is { } refusal ? refusal.ToProblem() : TypedResults.NoContent();
}
