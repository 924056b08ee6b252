using Microsoft.AspNetCore.Http.HttpResults;

namespace Parley.Server.Problems;

/// <summary>
/// Why a service refused: a problem code (its status is <see cref="ProblemStatuses"/>'), what went wrong for people,
/// for a refusal that passes with time, when to retry, and members the code's documentation names (RFC 9457 §3.2
/// extension members, e.g. <c>findings</c> of <c>share.blocked</c>).
/// </summary>
public sealed record Refusal(string Code, string Detail, TimeSpan? RetryAfter = null, IReadOnlyDictionary<string, object?>? Extensions = null);

/// <summary>
/// A service's answer: the value, or the refusal that stands in for it. Services speak in these and know nothing of
/// HTTP; endpoints turn them into results with <see cref="OutcomeResults"/>, the one place a refusal becomes a problem.
/// </summary>
public readonly record struct Outcome<T>
{
    private Outcome(T? value, Refusal? refusal) => (Value, Refusal) = (value, refusal);

    public T? Value { get; }
    public Refusal? Refusal { get; }

    public static implicit operator Outcome<T>(T value) => new(value, null);
    public static implicit operator Outcome<T>(Refusal refusal) => new(default, refusal);
}

public static class OutcomeResults
{
    /// <summary>The problem member that carries a refusal's wait; <see cref="RetryAfterFilter"/> copies it into Retry-After.</summary>
    public const string RetryAfterExtension = "retryAfter";

    public static ProblemHttpResult ToProblem(this Refusal refusal)
    {
        var problem = Problem.Of(refusal);
        if (refusal.RetryAfter is { } wait) problem.ProblemDetails.Extensions[RetryAfterExtension] = (long)Math.Ceiling(Math.Max(1, wait.TotalSeconds));
        return problem;
    }

    public static async Task<Results<Ok<T>, ProblemHttpResult>> ToOk<T>(this Task<Outcome<T>> answer)
    {
        var outcome = await answer;
        return outcome.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Ok(outcome.Value);
    }

    public static async Task<Results<Created<T>, ProblemHttpResult>> ToCreated<T>(this Task<Outcome<T>> answer, Func<T, string> location)
    {
        var outcome = await answer;
        return outcome.Refusal is { } refusal ? refusal.ToProblem() : TypedResults.Created(location(outcome.Value!), outcome.Value);
    }
}

/// <summary>Copies a refusal's <see cref="OutcomeResults.RetryAfterExtension"/> into the Retry-After header (RFC 9110 §10.2.3).</summary>
public static class RetryAfterFilter
{
    public static async ValueTask<object?> Apply(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var problem = result as ProblemHttpResult ?? (result as INestedHttpResult)?.Result as ProblemHttpResult;
        if (problem?.ProblemDetails.Extensions.TryGetValue(OutcomeResults.RetryAfterExtension, out var seconds) == true)
            context.HttpContext.Response.Headers.RetryAfter = seconds!.ToString();
        return result;
    }
}
