using Parley.Core.Problems;

namespace Parley.Server.Problems;

/// <summary>
/// A query value that decodes to a NUL character (<c>%00</c>) is refused before any endpoint reads
/// it: no id, cursor or name contains one, and PostgreSQL refuses it in a query parameter, which would
/// otherwise escape as a 500 on PostgreSQL while SQLite answered. Kestrel already refuses a NUL in
/// the path, and JSON bodies are covered by <see cref="Parley.Core.Json.NoNulStrings"/>.
/// </summary>
public static class NulCharacterCheck
{
    public static IApplicationBuilder UseNulCharacterCheck(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Request.Query.Any(q => q.Key.Contains('\0') || q.Value.Any(v => v?.Contains('\0') == true)))
            {
                await Problem.WriteAsync(context, new Refusal(ProblemCodes.RequestInvalid,
                    "Query values may not contain the NUL character (%00)."));
                return;
            }
            await next(context);
        });
}
