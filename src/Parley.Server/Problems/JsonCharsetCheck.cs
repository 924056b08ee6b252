using Microsoft.Net.Http.Headers;
using Parley.Core.Problems;

namespace Parley.Server.Problems;

/// <summary>
/// JSON travels as UTF-8 (RFC 8259 §8.1). A JSON body labelled with another charset is refused
/// before any endpoint reads it: the framework's reader throws on a charset it does not know, which
/// would otherwise escape as a 500.
/// </summary>
public static class JsonCharsetCheck
{
    public static IApplicationBuilder UseJsonCharsetCheck(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (IsJsonInAnotherCharset(context.Request.ContentType))
            {
                await Problem.WriteAsync(context, new Refusal(ProblemCodes.RequestUnsupportedMediaType,
                    "JSON bodies are UTF-8: send Content-Type: application/json, or application/json; charset=utf-8."));
                return;
            }
            await next(context);
        });

    public static bool IsJsonInAnotherCharset(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed)) return false;
        var mediaType = parsed.MediaType.Value ?? "";
        var isJson = mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                     || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
        if (!isJson || !parsed.Charset.HasValue) return false;
        // Only the bare token: the framework's reader does not unquote "utf-8", nor know the alias utf8.
        var charset = parsed.Charset.Value;
        return !string.Equals(charset, "utf-8", StringComparison.OrdinalIgnoreCase);
    }
}
