using Microsoft.AspNetCore.Http.HttpResults;

namespace Parley.Server.Problems;

/// <summary>Why a service refused: a problem code (its status is <see cref="ProblemStatuses"/>') and what went wrong, for people.</summary>
public sealed record Refusal(string Code, string Detail);

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
    public static ProblemHttpResult ToProblem(this Refusal refusal) =>
        Problem.Of(ProblemStatuses.Of(refusal.Code), refusal.Code, refusal.Detail);

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
