using System.Security.Claims;
using Microsoft.Extensions.Options;
using Parley.Core.Problems;
using Parley.Server.Accounts;
using Parley.Server.ApiDocs;
using Parley.Server.Hosting;
using Parley.Server.Problems;

namespace Parley.Server.Scanning;

/// <summary>The server's operators (<c>Parley:Operators</c>, user names): who publishes features and reviews verdicts and quarantines.</summary>
public static class Operators
{
    public static bool IsOperator(this ParleyOptions options, ClaimsPrincipal principal) =>
        options.Operators.Contains(principal.UserName(), StringComparer.Ordinal);

    /// <summary>Lets only operators through; everyone else gets <c>403 scan.operator_only</c> before the handler runs.</summary>
    public static RouteHandlerBuilder OperatorsOnly(this RouteHandlerBuilder endpoint) => endpoint
        .AddEndpointFilter(async (context, next) =>
        {
            var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<ParleyOptions>>().Value;
            return options.IsOperator(context.HttpContext.User)
                ? await next(context)
                : new Refusal(ProblemCodes.ScanOperatorOnly, "Only the server's operators (Parley:Operators) may do this.").ToProblem();
        })
        .ProducesProblems(ProblemCodes.ScanOperatorOnly);
}
