using System.Net;
using System.Text.Json;
using Parley.Core.Scanning;

namespace Parley.Client;

/// <summary>Turns a failed answer into a <see cref="ParleyApiException"/>, whatever its body holds.</summary>
internal static class ProblemReader
{
    public static async Task<ParleyApiException> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var reason = response.ReasonPhrase ?? ((HttpStatusCode)status).ToString();
        var body = await response.Content.ReadAsStringAsync(ct);
        if (TryParseProblem(body, out var code, out var title, out var detail, out var members))
            return new ParleyApiException(status, code, title ?? reason, detail)
            {
                Findings = members.Findings, VerdictId = members.VerdictId, LibraryVersion = members.LibraryVersion,
            };
        return new ParleyApiException(status, ClientCodes.ForStatus(status), reason,
            $"The server answered {status} {reason} without problem details.");
    }

    /// <summary>Accepts any JSON object with a string <c>code</c>; other members are optional, and ignored when of another shape.</summary>
    private static bool TryParseProblem(string body, out string code, out string? title, out string? detail, out ExtensionMembers members)
    {
        code = "";
        title = detail = null;
        members = new([], null, null);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return false;
            if (!root.TryGetProperty("code", out var codeElement) || codeElement.ValueKind != JsonValueKind.String) return false;
            code = codeElement.GetString()!;
            title = StringMember(root, "title");
            detail = StringMember(root, "detail");
            members = new(Findings(root), StringMember(root, ShareRefusalMembers.VerdictId),
                root.TryGetProperty(ShareRefusalMembers.LibraryVersion, out var version) && version.ValueKind == JsonValueKind.Number && version.TryGetInt64(out var number) ? number : null);
            return code.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The <c>findings</c> array; an entry without a string code is left out rather than failing the whole refusal.</summary>
    private static IReadOnlyList<ScanFinding> Findings(JsonElement root)
    {
        if (!root.TryGetProperty(ShareRefusalMembers.Findings, out var findings) || findings.ValueKind != JsonValueKind.Array) return [];
        return [.. findings.EnumerateArray()
            .Where(f => f.ValueKind == JsonValueKind.Object && StringMember(f, "code") is { Length: > 0 })
            .Select(f => new ScanFinding(StringMember(f, "code")!, StringMember(f, "detector") ?? "", StringMember(f, "detail") ?? ""))];
    }

    private sealed record ExtensionMembers(IReadOnlyList<ScanFinding> Findings, string? VerdictId, long? LibraryVersion);

    private static string? StringMember(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
