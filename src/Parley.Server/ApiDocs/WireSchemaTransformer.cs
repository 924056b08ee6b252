using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Parley.Server.ApiDocs;

/// <summary>
/// Makes the schemas say what the wire accepts (ParleyJson), where the schema exporter cannot see it: strings go through a
/// custom converter (no NUL), and a record member with a default value may be left out.
/// </summary>
internal sealed class WireSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = context.JsonTypeInfo;
        if (type.Type == typeof(string) && schema.Type is null)
            schema.Type = context.JsonPropertyInfo is { IsGetNullable: true } ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        if (type.Kind == JsonTypeInfoKind.Object && schema.Required is { Count: > 0 } required)
            foreach (var property in type.Properties.Where(p => p.AssociatedParameter is { HasDefaultValue: true }))
                required.Remove(property.Name);
        return Task.CompletedTask;
    }
}
