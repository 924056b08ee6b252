using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Core.Json;

/// <summary>The one JSON shape of the wire: camelCase members, enums as camelCase strings, strict about nulls and missing members.</summary>
public static class ParleyJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the wire conventions to options owned by a host (ASP.NET Core, SignalR).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new NoNulStrings());
        // A request that omits a required member or sends null for a non-nullable one is malformed:
        // refusing it at the edge keeps half-filled records out of the domain.
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        return options;
    }
}
