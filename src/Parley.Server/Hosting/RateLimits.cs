using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Parley.Core.Problems;
using Parley.Server.Accounts;
using Parley.Server.Problems;

namespace Parley.Server.Hosting;

/// <summary>
/// ASP.NET Core's rate limiter, three ways: every signed-in user's requests (a token bucket per user,
/// on every endpoint), their messages (a tighter bucket on the posting endpoints), and password
/// attempts per client address. Each refusal is a 429 problem with its own code and a Retry-After.
/// </summary>
public static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string Messages = "messages";

    public static IServiceCollection AddParleyRateLimits(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                PerUser(context, rates => (rates.RequestsPerSecond, rates.RequestBurst)));
            limiter.OnRejected = (context, _) => Refuse(context, ProblemCodes.RequestRateLimited,
                "Too many requests from this user; slow down and retry after the time in Retry-After.");
            limiter.AddPolicy(Messages, new Policy(
                context => PerUser(context, rates => (rates.MessagesPerSecond, rates.MessageBurst)),
                ProblemCodes.MessageRateLimited, "Too many messages from this user; retry after the time in Retry-After."));
            limiter.AddPolicy(SignIn, new Policy(context =>
            {
                var signIn = Options(context).SignIn;
                return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = signIn.PermitLimit, Window = signIn.Window, QueueLimit = 0 });
            }, ProblemCodes.RateLimited, "Too many attempts; wait a minute and try again."));
        });

    /// <summary>A token bucket per signed-in user; anonymous requests are limited where they matter (sign-in, per address).</summary>
    private static RateLimitPartition<string> PerUser(HttpContext context, Func<RateOptions, (int PerSecond, int Burst)> pick)
    {
        if (context.User.Identity?.IsAuthenticated != true || context.User.FindFirst(TokenAuthenticationHandler.SessionIdClaim) is null)
            return RateLimitPartition.GetNoLimiter("anonymous");
        var (perSecond, burst) = pick(Options(context).Rates);
        return RateLimitPartition.GetTokenBucketLimiter(context.User.UserId(), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst, TokensPerPeriod = perSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0,
        });
    }

    private static ParleyOptions Options(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<ParleyOptions>>().Value;

    private static async ValueTask Refuse(OnRejectedContext context, string code, string detail)
    {
        var http = context.HttpContext;
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(SecurityLog.Category).RateLimited(
            http.Request.Method, http.Request.Path.Value, http.Connection.RemoteIpAddress?.ToString(), http.User.FindFirstValue(ClaimTypes.NameIdentifier), code);
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        SetRetryAfter(context.HttpContext.Response, retryAfter);
        await Problem.WriteAsync(context.HttpContext, new Refusal(code, detail));
    }

    /// <summary>A whole number of seconds to wait (at least one), as Retry-After requires.</summary>
    public static void SetRetryAfter(HttpResponse response, TimeSpan retryAfter) =>
        response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private sealed class Policy(Func<HttpContext, RateLimitPartition<string>> partition, string code, string detail) : IRateLimiterPolicy<string>
    {
        public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => (context, _) => Refuse(context, code, detail);

        public RateLimitPartition<string> GetPartition(HttpContext httpContext) => partition(httpContext);
    }
}
