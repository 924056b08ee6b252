using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Parley.Server.Problems;

/// <summary>
/// The writer of last resort: the framework's writer refuses when the request's <c>Accept</c> names
/// neither JSON nor <c>*/*</c> (a browser's <c>text/html</c>, an EventSource's <c>text/event-stream</c>),
/// and an error that cannot be written becomes a 500 with an empty body. The API has no other
/// representation of an error, so it answers problem JSON whatever was asked for.
/// </summary>
public sealed class ProblemJsonWriter(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public const string ContentType = "application/problem+json";

    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var http = context.HttpContext;
        problem.Status ??= http.Response.StatusCode;
        options.Value.CustomizeProblemDetails?.Invoke(context);
        problem.Extensions.TryAdd("traceId", Activity.Current?.Id ?? http.TraceIdentifier);
        return new ValueTask(http.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: ContentType));
    }
}
