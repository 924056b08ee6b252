namespace Parley.Cli.Session;

/// <summary>A failure the CLI detects itself, reported like a server problem: a stable code and a sentence.</summary>
internal sealed class CliException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>Codes of failures that happen on this side of the wire; server codes are in <c>ProblemCodes</c>.</summary>
internal static class CliCodes
{
    public const string Unreachable = "client.unreachable";
    public const string Timeout = "client.timeout";
    public const string Disconnected = "client.disconnected";
    public const string NotSignedIn = "client.not_signed_in";
    public const string InvalidServer = "client.invalid_server";
    public const string NoPassword = "client.no_password";
    public const string PasswordMismatch = "client.password_mismatch";
    public const string AmbiguousRoom = "client.ambiguous_room";
    public const string CorruptState = "client.corrupt_state";
}
