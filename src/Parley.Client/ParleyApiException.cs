using Parley.Core.Scanning;

namespace Parley.Client;

/// <summary>
/// The server refused a request. <see cref="Code"/> is the stable, machine-readable reason (the
/// problem details <c>code</c> member, e.g. <c>room.not_member</c>): branch on it, not on the message.
/// </summary>
public sealed class ParleyApiException(int status, string code, string title, string? detail)
    : Exception(detail ?? title)
{
    /// <summary>The HTTP status of the answer.</summary>
    public int Status { get; } = status;

    public string Code { get; } = code;

    public string Title { get; } = title;

    /// <summary>What went wrong in words meant for a person; may be absent.</summary>
    public string? Detail { get; } = detail;

    /// <summary><c>share.blocked</c>: what the server's second detection found (the problem's <c>findings</c> member); empty otherwise.</summary>
    public IReadOnlyList<ScanFinding> Findings { get; init; } = [];

    /// <summary><c>share.blocked</c>: the id (<c>v_…</c>) of the verdict the server stored (the <c>verdictId</c> member).</summary>
    public string? VerdictId { get; init; }

    /// <summary><c>share.identifier_stale</c>: the server's current feature library version (the <c>libraryVersion</c> member).</summary>
    public long? LibraryVersion { get; init; }

    public override string ToString() => $"{Status} {Code}: {Message}";
}
