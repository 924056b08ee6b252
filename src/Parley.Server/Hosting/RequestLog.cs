namespace Parley.Server.Hosting;

/// <summary>
/// One line per request at Information under <see cref="Category"/>: method, path, status, time taken. The path is
/// logged without its query string, which is where a browser's live connection carries its session token.
/// Scrapes and health probes are left out (<c>/metrics</c>, <c>/healthz*</c>).
/// </summary>
public static partial class RequestLog
{
    public const string Category = "Parley.Requests";

    public static void UseRequestLog(this IApplicationBuilder app)
    {
        var log = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        var clock = app.ApplicationServices.GetRequiredService<TimeProvider>();
        app.Use(async (context, next) =>
        {
            if (!log.IsEnabled(LogLevel.Information) || Telemetry.IsProbe(context.Request.Path))
            {
                await next(context);
                return;
            }
            var started = clock.GetTimestamp();
            var failed = false;
            try
            {
                await next(context);
            }
            catch
            {
                failed = true;
                throw;
            }
            finally
            {
                var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
                Handled(log, context.Request.Method, context.Request.PathBase + context.Request.Path, status, clock.GetElapsedTime(started).TotalMilliseconds);
            }
        });
    }

    [LoggerMessage(EventId = 1, EventName = "RequestHandled", Level = LogLevel.Information,
        Message = "{Method} {Path} answered {StatusCode} in {ElapsedMilliseconds:0.0} ms")]
    private static partial void Handled(ILogger log, string method, string path, int statusCode, double elapsedMilliseconds);
}
