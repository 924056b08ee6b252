using System.Net;
using System.Text.Json;

namespace Parley.Client;

/// <summary>Turns a failed answer into a <see cref="ParleyApiException"/>, whatever its body holds.</summary>
internal static class ProblemReader
{
    public static async Task<ParleyApiException> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        var reason = response.ReasonPhrase ?? ((HttpStatusCode)status).ToString();
        var body = await response.Content.ReadAsStringAsync(ct);
        if (TryParseProblem(body, out var code, out var title, out var detail))
            return new ParleyApiException(status, code, title ?? reason, detail);
        return new ParleyApiException(status, ClientCodes.ForStatus(status), reason,
            $"The server answered {status} {reason} without problem details.");
    }

    /// <summary>Accepts any JSON object with a string <c>code</c>; other members are optional.</summary>
    private static bool TryParseProblem(string body, out string code, out string? title, out string? detail)
    {
        code = "";
        title = detail = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return false;
            if (!root.TryGetProperty("code", out var codeElement) || codeElement.ValueKind != JsonValueKind.String) return false;
            code = codeElement.GetString()!;
            title = StringMember(root, "title");
            detail = StringMember(root, "detail");
            return code.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? StringMember(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
