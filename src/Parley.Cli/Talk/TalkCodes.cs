namespace Parley.Cli.Talk;

/// <summary>Codes of <c>parley talk</c> failures on this side of the wire; the session's own failures carry the server's codes.</summary>
internal static class TalkCodes
{
    public const string NoPassphrase = "client.no_passphrase";
    public const string InvalidCode = "client.invalid_code";
    public const string FileUnreadable = "client.file_unreadable";
    public const string FileRefused = "client.file_refused";
    public const string LineTooLong = "client.line_too_long";
}
