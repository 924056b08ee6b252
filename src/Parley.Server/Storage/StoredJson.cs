using System.Text.Json;
using Parley.Core.Json;

namespace Parley.Server.Storage;

/// <summary>
/// The JSON lists kept in text columns (a verdict's findings and timings, a quarantine's reasons), written and read
/// in one place with the wire's options, so every writer and reader agrees on names and casing.
/// </summary>
public static class StoredJson
{
    public static string Write<T>(IReadOnlyList<T> values) => JsonSerializer.Serialize(values, ParleyJson.Options);

    public static IReadOnlyList<T> Read<T>(string json) => JsonSerializer.Deserialize<List<T>>(json, ParleyJson.Options) ?? [];
}
