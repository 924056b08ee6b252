using Microsoft.AspNetCore.Diagnostics;

namespace Parley.Server.Problems;

/// <summary>
/// Makes every error the pipeline produces a problem details answer with a code: malformed JSON,
/// oversized bodies, unknown routes, wrong methods, unhandled exceptions. Nothing leaves as a bare status.
/// </summary>
public static class ProblemDetailsSetup
{
    public static IServiceCollection AddParleyProblemDetails(this IServiceCollection services) =>
        services
            // Let malformed input reach the exception handler, where its message becomes the problem's detail.
            .Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true)
            .AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            if (context.Exception is { } failure && DatabaseBusy(failure)) context.HttpContext.Response.Headers.RetryAfter = "1";
            if (!problem.Extensions.ContainsKey("code"))
            {
                var code = Problem.CodeForStatus(status);
                problem.Extensions["code"] = code;
                problem.Type = Problem.TypeOf(code);
                // A bad request's message is about the input (which member, which JSON path) and helps the
                // caller fix it; any other exception's text stays in the log.
                problem.Detail = context.Exception switch
                {
                    BadHttpRequestException bad => bad.InnerException?.Message ?? bad.Message,
                    { } busy when DatabaseBusy(busy) => "The database is busy; retry after the time in Retry-After.",
                    not null => "The server failed to handle the request; it has been logged.",
                    null => problem.Detail ?? Problem.DefaultDetail(status),
                };
            }
        })
            .AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();

    /// <summary>A database failure that a retry may not meet (SQLite busy or locked, a PostgreSQL timeout or lost connection), however wrapped.</summary>
    private const int SqliteBusy = 5, SqliteLocked = 6;

    private static bool DatabaseBusy(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked } or System.Data.Common.DbException { IsTransient: true })
                return true;
        return false;
    }

    public static IApplicationBuilder UseParleyProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A bad request detected while reading the body (malformed JSON, too large) is the client's
            // fault: answer with its own status, not 500.
            StatusCodeSelector = exception => exception switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                // Contention or a database that does not answer in time: nothing is wrong with the request, so say when to retry.
                _ when DatabaseBusy(exception) => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
            // Malformed input is the client's mistake, not the server's: no error entry with a stack trace per bad
            // request (anyone could fill the log). The framework already notes it at Debug level.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });
        app.UseStatusCodePages();
        app.UseJsonCharsetCheck();
        app.UseNulCharacterCheck();
        return app;
    }
}
