using Parley.Server.Problems;

namespace Parley.Server.ApiDocs;

/// <summary>The problem codes an endpoint answers with itself; <see cref="ProblemOperationTransformer"/> turns them into responses.</summary>
public sealed record ProblemCodesMetadata(IReadOnlyList<string> Codes);

public static class ProblemResponses
{
    /// <summary>
    /// Declares, next to the endpoint, the problem codes its handler (and the services it calls) can answer with.
    /// The OpenAPI document lists each under its status (<see cref="ProblemStatuses"/>) as <c>application/problem+json</c>;
    /// the problems the pipeline adds (authentication, rate limits, malformed bodies, a busy database) come on their own.
    /// </summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params string[] codes) where TBuilder : IEndpointConventionBuilder
    {
        // An unknown code fails when the endpoints are mapped, at start, not as a wrong document.
        foreach (var code in codes) ProblemStatuses.Of(code);
        return builder.WithMetadata(new ProblemCodesMetadata(codes));
    }
}
