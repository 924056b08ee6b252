using System.Globalization;

namespace Parley.Core.Scanning.Features;

/// <summary>A line of a ClamAV file that was not imported, and why.</summary>
public sealed record ImportNote(int LineNumber, string Reason);

/// <summary>The features read from a ClamAV file, and the lines left out because Parley cannot match them the same way.</summary>
public sealed record ClamAvImport(IReadOnlyList<Feature> Features, IReadOnlyList<ImportNote> Skipped);

/// <summary>
/// Imports ClamAV signature files so that operators bring the rules they have (docs/scanning.md, "ClamAV
/// import"). <c>.hsb</c>: <c>SHA256HEX:SIZE|*:Name[:flevel]</c> become file hashes; MD5 and SHA-1 lines
/// (<c>.hdb</c>, or short hashes in <c>.hsb</c>) are skipped with a note, since Parley hashes with SHA-256
/// only. <c>.ndb</c>: <c>Name:TargetType:Offset:HexSig[:min[:max]]</c> with target 0 (any file) or 5
/// (graphics), offsets <c>*</c>, <c>n</c> and <c>EOF-n</c>, and the hex syntax <see cref="BytePattern"/>
/// reads; other targets, offsets and hex constructs are skipped with a note. A line that is not a
/// signature at all is refused with its number (<see cref="FeatureFormatException"/>).
/// </summary>
public static class ClamAvImporter
{
    /// <summary>Chooses the reader by the file's extension: <c>.hsb</c>, <c>.hdb</c> or <c>.ndb</c>.</summary>
    /// <exception cref="NotSupportedException">Another extension.</exception>
    public static ClamAvImport Import(string fileName, string text) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".hsb" or ".hdb" => ImportHashes(text),
        ".ndb" => ImportBodies(text),
        var other => throw new NotSupportedException($"'{other}' files are not imported: give a .hsb, .hdb or .ndb file."),
    };

    public static ClamAvImport ImportHashes(string text) => ImportLines(text, HashLine);

    public static ClamAvImport ImportBodies(string text) => ImportLines(text, BodyLine);

    private delegate Feature? LineReader(string[] fields, int number, List<ImportNote> skipped);

    private static ClamAvImport ImportLines(string text, LineReader read)
    {
        var features = new List<Feature>();
        var skipped = new List<ImportNote>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0 || line.StartsWith('#')) continue;
            if (read(line.Split(':'), number, skipped) is not { } feature) continue;
            if (names.Add(feature.Name)) features.Add(feature);
            else skipped.Add(new ImportNote(number, $"'{feature.Name}' is named twice; the first is kept."));
        }
        return new ClamAvImport(features, skipped);
    }

    private static Feature? HashLine(string[] fields, int number, List<ImportNote> skipped)
    {
        if (fields.Length is < 3 or > 4) throw new FeatureFormatException(number, "A hash signature is 'HASH:SIZE:Name[:flevel]'.");
        var (hash, size, name) = (fields[0].Trim(), fields[1].Trim(), fields[2].Trim());
        if (hash.Length is 32 or 40 && hash.All(char.IsAsciiHexDigit))
        {
            skipped.Add(new ImportNote(number, $"'{name}' is an {(hash.Length == 32 ? "MD5" : "SHA-1")} hash; Parley matches SHA-256 only."));
            return null;
        }
        if (FeatureLines.TryHash($"{hash}:{size}", out var hex, out var bytes) is { } error) throw new FeatureFormatException(number, error);
        return Named(name, number, skipped, new HashSignature(HashTarget.File, hex, bytes));
    }

    private static Feature? BodyLine(string[] fields, int number, List<ImportNote> skipped)
    {
        if (fields.Length is < 4 or > 6) throw new FeatureFormatException(number, "A body signature is 'Name:TargetType:Offset:HexSig[:min[:max]]'.");
        var (name, target, offset, hex) = (fields[0].Trim(), fields[1].Trim(), fields[2].Trim(), fields[3].Trim());
        if (!int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var type))
            throw new FeatureFormatException(number, $"'{target}' is not a target type (a number).");
        if (type is not (0 or 5)) return Skip(skipped, number, $"'{name}' targets file type {type}; only 0 (any) and 5 (graphics) apply to raw media bytes.");
        if (!TryAnchor(offset, out var anchor)) return Skip(skipped, number, $"'{name}' has offset '{offset}'; only *, n and EOF-n are imported.");
        if (!BytePattern.TryParse(hex, out var pattern, out var patternError)) return Skip(skipped, number, $"'{name}': {patternError}");
        if (FeatureLines.CheckAnchor(pattern, anchor) is { } anchorError) return Skip(skipped, number, $"'{name}': {anchorError}");
        return Named(name, number, skipped, new PatternSignature(pattern, anchor));
    }

    private static bool TryAnchor(string offset, out PatternAnchor anchor)
    {
        anchor = PatternAnchor.Anywhere;
        if (offset == "*") return true;
        var fromEnd = offset.StartsWith("EOF-", StringComparison.Ordinal);
        if (!int.TryParse(fromEnd ? offset[4..] : offset, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return false;
        anchor = fromEnd ? PatternAnchor.FromEnd(n) : PatternAnchor.FromStart(n);
        return true;
    }

    private static Feature? Named(string name, int number, List<ImportNote> skipped, FeatureSignature signature) =>
        FeatureLines.CheckName(name) is { } error ? Skip(skipped, number, error) : new Feature(name, $"ClamAV signature {name}", signature);

    private static Feature? Skip(List<ImportNote> skipped, int number, string reason)
    {
        skipped.Add(new ImportNote(number, reason));
        return null;
    }
}
