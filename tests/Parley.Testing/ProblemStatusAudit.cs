using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Problems;

namespace Parley.Testing;

/// <summary>
/// Every test server's problems pass through this: a problem whose <c>code</c> is answered with a status other
/// than the one <see cref="ProblemStatuses"/> gives it (the one the OpenAPI document declares) throws, so the request
/// fails as a 500 and the test that made it fails, whichever suite it is in. A code that is never an HTTP answer throws too.
/// </summary>
public sealed class ProblemStatusAudit(IProblemDetailsService inner) : IProblemDetailsService
{
    /// <summary>Puts the audit in front of the framework's problem service, through which every problem is written.</summary>
    public static void AddTo(IServiceCollection services)
    {
        var registered = services.Single(s => s.ServiceType == typeof(IProblemDetailsService));
        services.Remove(registered);
        services.AddSingleton<IProblemDetailsService>(provider =>
            new ProblemStatusAudit((IProblemDetailsService)ActivatorUtilities.CreateInstance(provider, registered.ImplementationType!)));
    }

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        Audit(context);
        return inner.WriteAsync(context);
    }

    public ValueTask<bool> TryWriteAsync(ProblemDetailsContext context)
    {
        Audit(context);
        return inner.TryWriteAsync(context);
    }

    /// <summary>Checks before writing: once the answer has started, a failure could no longer change it.</summary>
    private static void Audit(ProblemDetailsContext context)
    {
        var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
        // An answer the framework writes itself has no code yet: the pipeline gives it the one for its status.
        Check(status, context.ProblemDetails.Extensions.TryGetValue("code", out var code) ? (string)code! : Problem.CodeForStatus(status));
    }

    /// <summary>Throws when <paramref name="code"/> is not answered with <paramref name="status"/>.</summary>
    public static void Check(int status, string code)
    {
        var declared = ProblemStatuses.Of(code);
        if (declared != status)
            throw new InvalidOperationException($"The problem '{code}' was answered with {status}; ProblemStatuses (and the OpenAPI document) give {declared}.");
    }
}
