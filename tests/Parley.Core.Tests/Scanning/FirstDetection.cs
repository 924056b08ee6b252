using Parley.Core.Scanning;
using Parley.Core.Scanning.Structure;

namespace Parley.Core.Tests.Scanning;

/// <summary>The Core part of the first detection on bytes in memory: structural checks, then embedded content.</summary>
internal static class FirstDetection
{
    public static (StructureReport Report, IReadOnlyList<ScanFinding> Findings) Run(byte[] file, string? mediaType, string? name, ScanLimits? limits = null)
    {
        var report = StructureChecks.Check(new MemoryStream(file), mediaType, name, limits);
        if (report.IsAttachment) return (report, report.Findings); // as ContentInspector: no embedded-content search
        var embedded = EmbeddedContent.Start(report.Format);
        embedded.Feed(file);
        return (report, [.. report.Findings, .. embedded.Finish()]);
    }

    public static IReadOnlyList<string> Codes(byte[] file, string? mediaType = null, string? name = null, ScanLimits? limits = null) =>
        [.. Run(file, mediaType, name, limits).Findings.Select(f => f.Code).Distinct().Order()];
}
