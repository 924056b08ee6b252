using Parley.Core.Scanning;

namespace Parley.Client.Scanning;

/// <summary>Which detection refused a share: the device's own (nothing left it) or the server's.</summary>
public enum ScanStage { Local, Server }

/// <summary>
/// A share was refused by a detection: <see cref="Stage"/> says which, <see cref="Findings"/> why. A
/// <see cref="ScanStage.Local"/> refusal happened before the server learned anything about the content; a
/// <see cref="ScanStage.Server"/> one is the server's <c>share.blocked</c> (its problem is the inner exception).
/// </summary>
public sealed class ShareBlockedException : Exception
{
    private ShareBlockedException(string fileName, ScanStage stage, IReadOnlyList<ScanFinding> findings, string? verdictId, string message, Exception? inner)
        : base(message, inner)
    {
        FileName = fileName;
        Stage = stage;
        Findings = findings;
        VerdictId = verdictId;
    }

    /// <summary>The name the file was shared under.</summary>
    public string FileName { get; }

    public ScanStage Stage { get; }

    /// <summary>Every reason; empty only when the server refused without saying (e.g. an answer lost on the way).</summary>
    public IReadOnlyList<ScanFinding> Findings { get; }

    /// <summary>The server's stored verdict (<c>v_…</c>) for a server refusal; null for a local one.</summary>
    public string? VerdictId { get; }

    internal static ShareBlockedException Local(LocalScanResult result) =>
        new(result.FileName, ScanStage.Local, result.Findings, null,
            $"{result.FileName} did not pass the local scan (feature library version {result.LibraryVersion}); nothing was sent.", null);

    internal static ShareBlockedException Server(string fileName, ParleyApiException refusal) =>
        new(fileName, ScanStage.Server, refusal.Findings, refusal.VerdictId, $"The server's scan blocked {fileName}: {refusal.Message}", refusal);
}
