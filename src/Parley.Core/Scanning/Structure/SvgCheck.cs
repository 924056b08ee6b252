using System.Text;
using System.Text.RegularExpressions;

namespace Parley.Core.Scanning.Structure;

/// <summary>
/// An SVG is a document a browser runs: it is refused when it holds script (<c>&lt;script</c>, event handler
/// attributes such as <c>onload=</c>, <c>javascript:</c> or HTML <c>data:</c> URLs, links hidden behind character
/// references) or reaches outside itself (links to http(s), ftp or file URLs, <c>&lt;foreignObject&gt;</c>,
/// external entities, CSS <c>url()</c> and <c>@import</c>). Read in overlapping pieces, so size costs no memory.
/// </summary>
internal static partial class SvgCheck
{
    private const int Piece = 1024 * 1024;
    private const int Overlap = 1024;

    private static readonly (string Code, Regex Pattern, string What)[] Rules =
    [
        (ScanFindingCodes.SvgScript, ScriptElement(), "a script element"),
        (ScanFindingCodes.SvgScript, EventHandler(), "an event handler attribute"),
        (ScanFindingCodes.SvgScript, JavaScriptUrl(), "a javascript: URL"),
        (ScanFindingCodes.SvgScript, HtmlDataUrl(), "an HTML or SVG data: URL"),
        (ScanFindingCodes.SvgScript, EncodedLink(), "a link hidden behind character references"),
        (ScanFindingCodes.SvgExternalReference, ExternalLink(), "a link to an external URL"),
        (ScanFindingCodes.SvgExternalReference, ForeignObject(), "a foreignObject element (embedded HTML)"),
        (ScanFindingCodes.SvgExternalReference, ExternalEntity(), "an external entity"),
        (ScanFindingCodes.SvgExternalReference, CssExternal(), "a CSS reference to an external URL"),
    ];

    public static void Check(ByteReader reader, StructureLog log)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var carried = "";
        long carriedFrom = 0;
        var buffer = new byte[Piece];
        while (true)
        {
            var read = reader.ReadAtMost(buffer);
            if (read == 0) break;
            var text = carried + Encoding.Latin1.GetString(buffer, 0, read);
            foreach (var (code, pattern, what) in Rules)
                if (!found.Contains(what) && pattern.Match(text) is { Success: true } match)
                {
                    found.Add(what);
                    log.Add(code, $"The SVG holds {what} at byte {carriedFrom + match.Index}: '{Shorten(match.Value)}'.");
                }
            carriedFrom += text.Length - Math.Min(Overlap, text.Length);
            carried = text[^Math.Min(Overlap, text.Length)..];
            if (read < buffer.Length) break;
        }
    }

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..57] + "...";

    [GeneratedRegex(@"<(\w+:)?script\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ScriptElement();

    [GeneratedRegex(@"[\s/""']on[a-z]+\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EventHandler();

    [GeneratedRegex(@"javascript\s*:", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex JavaScriptUrl();

    [GeneratedRegex(@"data:\s*(text/html|image/svg\+xml|application/xhtml)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HtmlDataUrl();

    [GeneratedRegex(@"(href|src)\s*=\s*[""']?\s*&#", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EncodedLink();

    [GeneratedRegex(@"(href|src)\s*=\s*[""']?\s*(https?:|ftp:|file:|//)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExternalLink();

    [GeneratedRegex(@"<(\w+:)?foreignObject\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ForeignObject();

    [GeneratedRegex(@"<!ENTITY[^>]*\b(SYSTEM|PUBLIC)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ExternalEntity();

    [GeneratedRegex(@"(url\(\s*[""']?\s*(https?:|ftp:|file:|//)|@import)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CssExternal();
}
