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

    public override string ToString() => $"{Status} {Code}: {Message}";
}
