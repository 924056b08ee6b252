using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Parley.Core.Problems;
using Parley.Server.Hosting;
using Parley.Server.Problems;
using Parley.Server.Transfer;

namespace Parley.Server.ApiDocs;

/// <summary>
/// Gives each operation every problem response it can give: the codes its endpoint declares
/// (<see cref="ProblemResponses.ProducesProblems"/>) and those the pipeline adds by the endpoint's metadata
/// (authentication and its security requirement, rate limits, body limits, a busy database). Each status is
/// one <c>application/problem+json</c> response whose <c>code</c> is an enum of its codes, also listed in
/// <c>x-problem-codes</c> and the description.
/// </summary>
internal sealed class ProblemOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var codes = metadata.OfType<ProblemCodesMetadata>().SelectMany(m => m.Codes).ToList();
        codes.AddRange(PipelineCodes(context));
        if (SecuritySchemeOf(metadata) is { } scheme)
        {
            codes.AddRange(scheme == ApiDocsSetup.NodeScheme
                ? [ProblemCodes.NodeUnauthorized]
                // The per-user request limiter applies to every signed-in request.
                : [ProblemCodes.AuthRequired, ProblemCodes.AuthInvalidToken, ProblemCodes.RequestRateLimited]);
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] });
        }

        operation.Responses ??= [];
        foreach (var byStatus in codes.Distinct().GroupBy(ProblemStatuses.Of).OrderBy(g => g.Key))
            operation.Responses[byStatus.Key.ToString()] = Response(byStatus.Key, [.. byStatus.Order(StringComparer.Ordinal)], context.Document);
        return Task.CompletedTask;
    }

    /// <summary>The scheme an endpoint needs, or null for one open to anyone.</summary>
    private static string? SecuritySchemeOf(IList<object> metadata)
    {
        if (metadata.OfType<IAllowAnonymous>().Any()) return null;
        var authorize = metadata.OfType<IAuthorizeData>().ToList();
        if (authorize.Count == 0) return null;
        return authorize.Any(a => a.Policy == NodeEndpoints.Policy) ? ApiDocsSetup.NodeScheme : ApiDocsSetup.BearerScheme;
    }

    /// <summary>What the pipeline answers before or around the handler (docs/api-conventions.md, "Errors").</summary>
    private static IEnumerable<string> PipelineCodes(OpenApiOperationTransformerContext context)
    {
        // Any request: a malformed query (a NUL, a value of the wrong type), an unhandled failure, a database that stayed busy.
        yield return ProblemCodes.RequestInvalid;
        yield return ProblemCodes.ServerError;
        yield return ProblemCodes.ServerUnavailable;
        if (context.Description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body))
        {
            yield return ProblemCodes.RequestTooLarge;
            yield return ProblemCodes.RequestUnsupportedMediaType;
        }
        foreach (var limit in context.Description.ActionDescriptor.EndpointMetadata.OfType<EnableRateLimitingAttribute>())
            yield return limit.PolicyName switch
            {
                RateLimits.Messages => ProblemCodes.MessageRateLimited,
                _ => ProblemCodes.RateLimited,
            };
    }

    private static OpenApiResponse Response(int status, string[] codes, OpenApiDocument? document)
    {
        var reason = ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : $"Status {status}";
        return new OpenApiResponse
        {
            Description = $"{reason}: problem details whose `code` is {string.Join(", ", codes.Select(c => $"`{c}`"))}.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ApiDocsSetup.ProblemContentType] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        AllOf =
                        [
                            new OpenApiSchemaReference(ApiDocsSetup.ProblemSchema, document),
                            new OpenApiSchema
                            {
                                Type = JsonSchemaType.Object,
                                Properties = new Dictionary<string, IOpenApiSchema>
                                {
                                    ["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. codes.Select(c => (JsonNode)c)] },
                                },
                            },
                        ],
                    },
                },
            },
            Extensions = new Dictionary<string, IOpenApiExtension>
            {
                [ApiDocsSetup.ProblemCodesExtension] = new JsonNodeExtension(new JsonArray([.. codes.Select(c => (JsonNode)c)])),
            },
            // Every 429 and 503 says when to retry (docs/api-conventions.md).
            Headers = status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable
                ? new Dictionary<string, IOpenApiHeader>
                {
                    ["Retry-After"] = new OpenApiHeader
                    {
                        Description = "Whole seconds to wait before retrying.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                    },
                }
                : null,
        };
    }
}
