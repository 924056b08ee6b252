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
                    not null => "The server failed to handle the request; it has been logged.",
                    null => problem.Detail ?? Problem.DefaultDetail(status),
                };
            }
        })
            .AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();

    public static IApplicationBuilder UseParleyProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A bad request detected while reading the body (malformed JSON, too large) is the client's
            // fault: answer with its own status, not 500.
            StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
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
