using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Parley.Core.Tests.Passphrase;

/// <summary>
/// The four SPAKE2-P256-SHA256-HKDF-HMAC vectors of RFC 9382 Appendix B, from rfc9382-p256.json
/// beside this file (a copy of the project's shared, independently checked vector file). It is read
/// from the source tree so that the test project needs no build item for it.
/// </summary>
public static class Rfc9382Vectors
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(SourceDirectory(), "rfc9382-p256.json"))));

    public static int Count => Document.Value.RootElement.GetProperty("vectors").GetArrayLength();

    public static IEnumerable<object[]> Indexes => Enumerable.Range(0, Count).Select(i => new object[] { i });

    public static string Root(string name) => Document.Value.RootElement.GetProperty(name).GetString()!;

    public static string Text(int vector, string name) =>
        Document.Value.RootElement.GetProperty("vectors")[vector].GetProperty(name).GetString()!;

    public static byte[] Bytes(int vector, string name) => Convert.FromHexString(Text(vector, name));

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
