using Microsoft.AspNetCore.Http.HttpResults;
using Parley.Core.Problems;

namespace Parley.Server.Problems;

/// <summary>
/// Builds RFC 9457 problem answers that always carry a stable <c>code</c>, the status always the one
/// <see cref="ProblemStatuses"/> gives the code: endpoints answer with <see cref="OutcomeResults.ToProblem"/>,
/// middleware with <see cref="WriteAsync"/>; the pipeline (see <see cref="ProblemDetailsSetup"/>) adds a code to
/// the answers the framework writes itself.
/// </summary>
public static class Problem
{
    internal static ProblemHttpResult Of(Refusal refusal) =>
        TypedResults.Problem(
            detail: refusal.Detail,
            statusCode: ProblemStatuses.Of(refusal.Code),
            title: TitleOf(refusal.Code),
            type: TypeOf(refusal.Code),
            extensions: new Dictionary<string, object?>(refusal.Extensions ?? new Dictionary<string, object?>()) { ["code"] = refusal.Code });

    /// <summary>Writes a problem answer from middleware or a handler that has no endpoint result to return.</summary>
    public static async Task WriteAsync(HttpContext context, Refusal refusal)
    {
        var problem = Of(refusal).ProblemDetails;
        context.Response.StatusCode = problem.Status!.Value;
        var writer = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await writer.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }

    /// <summary>A documentation anchor per code (docs/api-conventions.md lists them all).</summary>
    public static string TypeOf(string code) => $"https://parley.invalid/problems/{code}";

    /// <summary>"room.not_member" → "Room not member": short, stable, and derived so it never drifts from the code.</summary>
    public static string TitleOf(string code)
    {
        var words = code.Replace('.', ' ').Replace('_', ' ');
        return char.ToUpperInvariant(words[0]) + words[1..];
    }

    /// <summary>What to tell the caller when the framework refused a request without saying why.</summary>
    public static string? DefaultDetail(int status) => status switch
    {
        StatusCodes.Status404NotFound => "There is nothing at this address.",
        StatusCodes.Status405MethodNotAllowed => "This address does not take that HTTP method.",
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than this server accepts.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
        _ => null,
    };

    public static string CodeForStatus(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => ProblemCodes.AuthRequired,
        StatusCodes.Status403Forbidden => ProblemCodes.AuthForbidden,
        StatusCodes.Status404NotFound => ProblemCodes.NotFound,
        StatusCodes.Status405MethodNotAllowed => ProblemCodes.MethodNotAllowed,
        StatusCodes.Status413PayloadTooLarge => ProblemCodes.RequestTooLarge,
        StatusCodes.Status415UnsupportedMediaType => ProblemCodes.RequestUnsupportedMediaType,
        StatusCodes.Status429TooManyRequests => ProblemCodes.RateLimited,
        StatusCodes.Status503ServiceUnavailable => ProblemCodes.ServerUnavailable,
        >= 500 => ProblemCodes.ServerError,
        _ => ProblemCodes.RequestInvalid,
    };
}
