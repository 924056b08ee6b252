using Microsoft.OpenApi;

namespace Parley.Server.ApiDocs;

/// <summary>
/// Headers and raw bodies the endpoint's signature does not show (tus, ranged downloads), declared next to the
/// endpoint like its name and summary.
/// </summary>
public static class OpenApiHeaders
{
    public static TBuilder WithRequestHeader<TBuilder>(this TBuilder builder, string name, string description, bool required = false)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name, In = ParameterLocation.Header, Required = required, Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            return Task.CompletedTask;
        });

    /// <summary>A header of the response with <paramref name="status"/>, which the endpoint's result type already declares.</summary>
    public static TBuilder WithResponseHeader<TBuilder>(this TBuilder builder, int status, string name, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.GetValueOrDefault(status.ToString()) is not OpenApiResponse response)
                throw new InvalidOperationException($"{operation.OperationId} declares no {status} response to carry {name}.");
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers[name] = new OpenApiHeader { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            return Task.CompletedTask;
        });

    /// <summary>A body the handler reads as a stream, so its type is bytes of <paramref name="contentType"/>.</summary>
    public static TBuilder WithBinaryBody<TBuilder>(this TBuilder builder, string contentType, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true, Description = description,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [contentType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                },
            };
            return Task.CompletedTask;
        });
}
