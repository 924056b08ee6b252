namespace Parley.Core.Tests;

/// <summary>
/// Test vectors published in a protocol page under docs/: every <c>label: value</c> line of its
/// <c>```text</c> blocks. Tests read them from the page, so a vector in the docs is one the code passes.
/// </summary>
public static class DocVector
{
    public static IReadOnlyDictionary<string, string> Read(string page)
    {
        var values = new Dictionary<string, string>();
        var inText = false;
        foreach (var line in File.ReadLines(Locate(page)))
        {
            if (line.StartsWith("```", StringComparison.Ordinal)) inText = line.Trim() == "```text";
            else if (inText && line.IndexOf(": ", StringComparison.Ordinal) is > 0 and var colon)
                values[line[..colon].Trim()] = line[(colon + 2)..].Trim();
        }
        return values;
    }

    private static string Locate(string page)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "docs", page);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"docs/{page} is not above {AppContext.BaseDirectory}.");
    }
}
