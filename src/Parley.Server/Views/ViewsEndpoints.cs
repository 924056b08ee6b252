using System.Security.Claims;
using Parley.Core.Problems;
using Parley.Core.Views;
using Parley.Server.Accounts;
using Parley.Server.ApiDocs;
using Parley.Server.Problems;
using Parley.Server.Transfer;

namespace Parley.Server.Views;

/// <summary>Authentic view counts (docs/views.md, "HTTP API"): the view key, plays, their reports and stream, counts and records.</summary>
public static class ViewsEndpoints
{
    public static void MapViewsEndpoints(this IEndpointRouteBuilder app)
    {
        var views = app.MapGroup("/api/views").WithTags("Views").RequireAuthorization().AddEndpointFilter(RetryAfterFilter.Apply);
        views.MapGet("/key", (ViewKey key) => TypedResults.Ok(key.Public))
            .WithName("GetViewKey").WithSummary("The server's view key")
            .WithDescription("ECDSA P-256, the same on every node: it signs each play's transcript. Clients pin it on first use.");
        views.MapPost("/plays", (StartPlayRequest request, ClaimsPrincipal user, PlayStarter plays, CancellationToken ct) =>
                plays.StartAsync(user.UserId(), user.DeviceId(), request, ct).ToCreated(play => $"/api/views/plays/{play.PlayId}"))
            .WithName("StartPlay").WithSummary("Start playing a video")
            .WithDescription("Takes the client's ECDH share signed by the session's device key; answers the server's share and its signature "
                + "by the view key, the report instructions, and the stream's URL with its access token.")
            .ProducesProblems(PlayStarter.Refusals);
        views.MapGet("/plays/{playId}/stream", PlayStream.Serve).AllowAnonymous()
            .WithName("StreamPlay").WithSummary("Stream a play's video")
            .WithDescription("No bearer token: the `access` token in the URL opens it. Ranges like /api/media; every byte sent counts into the play's bytes served.")
            .Produces<Stream>(StatusCodes.Status200OK, "video/mp4", "video/webm", "video/quicktime")
            .Produces<Stream>(StatusCodes.Status206PartialContent, "video/mp4", "video/webm", "video/quicktime")
            .WithRequestHeader("Range", "Any single range, as a video element asks.")
            .ProducesProblems(ProblemCodes.ViewPlayNotFound, ProblemCodes.ViewPlayEnded, ProblemCodes.MediaQuarantined, ProblemCodes.MediaNotFound);
        views.MapPost("/plays/{playId}/reports", (string playId, PlayReportRequest request, ClaimsPrincipal user, PlayReports reports, CancellationToken ct) =>
                reports.ReportAsync(user.UserId(), playId, request, ct).ToOk())
            .WithName("ReportPlay").WithSummary("Report on a play")
            .WithDescription("Exactly one of `sealed` (under the play key) or `plain`. A failed check ends the play illegal (`reason` names it); "
                + "a malformed report changes nothing.")
            .ProducesProblems(PlayReports.ReportRefusals);
        views.MapPost("/plays/{playId}/end", (string playId, ClaimsPrincipal user, PlayReports reports, CancellationToken ct) =>
                reports.EndAsync(user.UserId(), playId, ct).ToOk())
            .WithName("EndPlay").WithSummary("End a play")
            .WithDescription("The final verdict. Ending a closed play answers its record as it stands.")
            .ProducesProblems(PlayReports.EndRefusals);
        views.MapGet("/plays/{playId}", (string playId, ClaimsPrincipal user, ViewQueries queries, CancellationToken ct) =>
                queries.RecordAsync(user, playId, ct).ToOk())
            .WithName("GetPlay").WithSummary("A play's record")
            .WithDescription("For the viewer, the video's sender and operators.")
            .ProducesProblems(ViewQueries.RecordRefusals);
        views.MapGet("/media/{media}", (string media, ClaimsPrincipal user, ViewQueries queries, CancellationToken ct) =>
                queries.CountAsync(user.UserId(), media, ct).ToOk())
            .WithName("GetViewCount").WithSummary("A video's view count")
            .WithDescription("Legal records that watched enough, of plays started on this message; plays no report kept alive are closed first.")
            .ProducesProblems(ViewQueries.CountRefusals);
        views.MapGet("/media/{media}/records", (string media, ClaimsPrincipal user, ViewQueries queries, CancellationToken ct) =>
                queries.RecordsAsync(user, media, ct).ToOk())
            .WithName("ListPlayRecords").WithSummary("Every play record of a video")
            .WithDescription("For the message's sender and the server's operators (Parley:Operators); other members get 403.")
            .ProducesProblems(ViewQueries.RecordsRefusals);
    }
}
