using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Core.Json;

/// <summary>
/// Refuses JSON strings that contain U+0000. No Parley text needs one, and PostgreSQL cannot store one
/// (its text type rejects it), so a NUL would otherwise pass validation on SQLite and fail as a server
/// error on PostgreSQL. Refusing it while reading makes both stores answer the same 400.
/// </summary>
public sealed class NoNulStrings : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString()!;
        return value.Contains('\0') ? throw new JsonException("Strings may not contain the NUL character (U+0000).") : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
