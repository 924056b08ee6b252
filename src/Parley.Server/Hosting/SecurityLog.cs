namespace Parley.Server.Hosting;

/// <summary>
/// Security events, structured and under one category so an operator can route them apart (docs/operations.md).
/// They never carry a password, token, ticket or key: only who, from where, and the stable problem code.
/// </summary>
public static partial class SecurityLog
{
    public const string Category = "Parley.Security";

    [LoggerMessage(EventId = 1001, EventName = "SignInFailed", Level = LogLevel.Warning,
        Message = "Sign-in refused for user {UserName} from {Client}: {Reason}.")]
    public static partial void SignInFailed(this ILogger log, string userName, string? client, string reason);

    [LoggerMessage(EventId = 1002, EventName = "TicketRefused", Level = LogLevel.Warning,
        Message = "Broadcast ticket refused: {Code}.")]
    public static partial void TicketRefused(this ILogger log, string code);

    [LoggerMessage(EventId = 1003, EventName = "HandshakeFailed", Level = LogLevel.Warning,
        Message = "Passphrase handshake {SessionId} failed: {Failure}; guess charged to {BlamedUserId}.")]
    public static partial void HandshakeFailed(this ILogger log, string sessionId, string failure, string? blamedUserId);

    [LoggerMessage(EventId = 1004, EventName = "RateLimited", Level = LogLevel.Warning,
        Message = "Rate limit refused {Method} {Path} from {Client} (user {UserId}): {Code}.")]
    public static partial void RateLimited(this ILogger log, string method, string? path, string? client, string? userId, string code);
}
