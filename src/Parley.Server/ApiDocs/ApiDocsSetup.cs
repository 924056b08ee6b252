using Microsoft.OpenApi;
using Parley.Server.Transfer;
using Scalar.AspNetCore;

namespace Parley.Server.ApiDocs;

/// <summary>
/// The API's contract: the OpenAPI document at <c>/openapi/v1.json</c>, complete enough for a client generator
/// (names, summaries, schemas, every problem response, the security schemes), and a page to browse it at
/// <c>/api/reference</c> (docs/api-conventions.md).
/// </summary>
public static class ApiDocsSetup
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api/reference";
    public const string BearerScheme = "bearer";
    public const string NodeScheme = "nodeKey";
    public const string ProblemSchema = "Problem";
    public const string ProblemContentType = "application/problem+json";
    public const string ProblemCodesExtension = "x-problem-codes";

    public static IServiceCollection AddParleyOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                Describe(document);
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer<WireSchemaTransformer>();
            options.AddOperationTransformer<ProblemOperationTransformer>();
        });

    public static void MapParleyApiDocs(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        // The page's script ships inside Scalar.AspNetCore, and no web fonts are fetched: it works offline and
        // tells no third party who reads it. The web client's Content-Security-Policy is for web/ files only.
        app.MapScalarApiReference(ReferencePath, options => options.WithTitle("Parley API").DisableDefaultFonts());
    }

    private static void Describe(OpenApiDocument document)
    {
        document.Info.Title = "Parley";
        document.Info.Description =
            "Messaging and media sharing. Errors are RFC 9457 problem details with a stable `code` member: branch on it. " +
            "Each operation lists its problem responses by status, their codes in the `code` enum and in `x-problem-codes`.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer",
            Description = "The token from POST /api/sessions, as `Authorization: Bearer <token>`.",
        };
        document.Components.SecuritySchemes[NodeScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = "Authorization",
            Description = $"Node-to-node calls: `Authorization: {NodeAuthenticationHandler.SchemeName} <node key>` (docs/deployment.md).",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = Problem();
    }

    /// <summary>RFC 9457 problem details as Parley writes them: always a <c>code</c>, and the request's trace id.</summary>
    private static OpenApiSchema Problem()
    {
        static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details.",
            Required = new HashSet<string> { "type", "title", "status", "code" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = Text("A URI naming the problem; one per code."),
                ["title"] = Text("A short title derived from the code, for people."),
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
                ["detail"] = Text("What went wrong with this request, for people."),
                ["instance"] = Text("The request's path."),
                ["code"] = Text("The stable, machine-readable problem code (docs/api-conventions.md)."),
                ["traceId"] = Text("The request's trace id, to find it in the server log."),
            },
        };
    }
}
