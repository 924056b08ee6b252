using System.Globalization;
using System.Text;

namespace Parley.Core.Scanning.Features;

/// <summary>
/// Parley's feature file (docs/scanning.md, "Feature format"): UTF-8 lines, <c>#</c> comments and blank
/// lines ignored. A library starts <c>parley-features 1</c> then <c>version N</c>; a delta starts
/// <c>parley-features-delta 1</c>, <c>from V</c>, <c>version N</c>. Then one line per feature or removal:
/// <code>
/// feature ADDED-IN NAME file-sha256 HEX:SIZE|* REASON…
/// feature ADDED-IN NAME payload-sha256 HEX:SIZE|* REASON…
/// feature ADDED-IN NAME bytes ANCHOR PATTERN REASON…   (ANCHOR: any, start+N, eof-N, end)
/// removed VERSION NAME
/// </code>
/// Parsing is strict: the first bad line is refused with its number (<see cref="FeatureFormatException"/>).
/// </summary>
public static class FeatureText
{
    public const string LibraryHeader = "parley-features 1";
    public const string DeltaHeader = "parley-features-delta 1";

    public static FeatureLibrary ParseLibrary(string text)
    {
        var (header, from, version, features, removals) = Read(text);
        if (header != LibraryHeader) throw new FeatureFormatException(1, $"A library starts with '{LibraryHeader}'.");
        return FeatureLibrary.Create(version, features, removals);
    }

    public static FeatureDelta ParseDelta(string text)
    {
        var (header, from, version, features, removals) = Read(text);
        if (header != DeltaHeader) throw new FeatureFormatException(1, $"A delta starts with '{DeltaHeader}'.");
        return new FeatureDelta(from, version, features, removals);
    }

    public static string Write(FeatureLibrary library)
    {
        var text = new StringBuilder().Append(LibraryHeader).Append('\n').Append(CultureInfo.InvariantCulture, $"version {library.Version}\n");
        return WriteChanges(text, library.Features, library.Removals);
    }

    public static string Write(FeatureDelta delta)
    {
        var text = new StringBuilder().Append(DeltaHeader).Append('\n')
            .Append(CultureInfo.InvariantCulture, $"from {delta.From}\nversion {delta.To}\n");
        return WriteChanges(text, delta.Added, delta.Removed);
    }

    /// <summary>One feature as its line's signature and reason, e.g. <c>bytes any 3c3f706870 A PHP tag</c>.</summary>
    public static string FormatSignature(FeatureSignature signature) => signature switch
    {
        HashSignature { Target: HashTarget.File } h => $"file-sha256 {FeatureLines.FormatHash(h)}",
        HashSignature h => $"payload-sha256 {FeatureLines.FormatHash(h)}",
        PatternSignature p => $"bytes {FormatAnchor(p.Anchor)} {p.Pattern}",
        _ => throw new ArgumentOutOfRangeException(nameof(signature)),
    };

    private static string WriteChanges(StringBuilder text, IEnumerable<LibraryFeature> features, IEnumerable<LibraryRemoval> removals)
    {
        foreach (var (addedIn, feature) in features)
            text.Append(CultureInfo.InvariantCulture, $"feature {addedIn} {feature.Name} {FormatSignature(feature.Signature)} {feature.Reason}\n");
        foreach (var removal in removals)
            text.Append(CultureInfo.InvariantCulture, $"removed {removal.RemovedIn} {removal.Name}\n");
        return text.ToString();
    }

    private static string FormatAnchor(PatternAnchor anchor) => anchor.Kind switch
    {
        AnchorKind.Anywhere => "any",
        AnchorKind.FromStart => $"start+{anchor.Offset}",
        _ => $"eof-{anchor.Offset}",
    };

    private static (string Header, long From, long Version, List<LibraryFeature> Features, List<LibraryRemoval> Removals) Read(string text)
    {
        string? header = null;
        long? from = null, version = null;
        var features = new List<LibraryFeature>();
        var removals = new List<LibraryRemoval>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (header is null)
            {
                if (line is not (LibraryHeader or DeltaHeader)) throw new FeatureFormatException(number, $"A feature file starts with '{LibraryHeader}' or '{DeltaHeader}'.");
                header = line;
                continue;
            }
            var isDelta = header == DeltaHeader;
            var rest = line;
            FeatureLines.NextToken(ref rest, out var keyword);
            switch (keyword)
            {
                case "from" when isDelta && from is null:
                    from = ReadNumber(rest, number, allowZero: true);
                    break;
                case "version" when version is null && (!isDelta || from is not null):
                    version = ReadNumber(rest, number, allowZero: true);
                    break;
                case "feature" when version is { } current:
                    var feature = FeatureLine.Parse(rest, current, number);
                    if (!names.Add(feature.Feature.Name)) throw new FeatureFormatException(number, $"'{feature.Feature.Name}' is named twice.");
                    features.Add(feature);
                    break;
                case "removed" when version is { } current:
                    removals.Add(FeatureLine.ParseRemoval(rest, current, number));
                    break;
                default:
                    throw new FeatureFormatException(number, version is null
                        ? $"Expected {(isDelta ? "'from V' then " : "")}'version N' before anything else, not '{Shorten(line)}'."
                        : $"'{Shorten(line)}' is not a 'feature' or 'removed' line.");
            }
        }
        if (header is null || version is null) throw new FeatureFormatException(number, "The file ends before its header and version.");
        // from == version is the empty delta a client that is up to date receives (GET /api/scanning/library?since=N).
        if (header == DeltaHeader && from > version) throw new FeatureFormatException(number, $"A delta cannot go back from version {from} to {version}.");
        return (header, from ?? 0, version.Value, features, removals);
    }

    private static long ReadNumber(string rest, int number, bool allowZero)
    {
        var value = rest.Trim();
        if (allowZero && value == "0") return 0;
        if (FeatureLines.TryVersion(value, out var version) is { } error) throw new FeatureFormatException(number, error);
        return version;
    }

    internal static string Shorten(string line) => line.Length <= 60 ? line : line[..57] + "...";
}
