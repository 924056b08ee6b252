using Parley.Cli.Session;
using Spectre.Console;

namespace Parley.Cli.Talk;

/// <summary>
/// Where the passphrase comes from: a file for scripts (<c>--passphrase-file</c>), or a prompt on
/// the terminal that does not echo it. Checked up front, so a script without one fails at once
/// instead of after it waited for a request.
/// </summary>
internal sealed class PassphraseInput
{
    private readonly string? _fromFile;

    private PassphraseInput(string? fromFile) => _fromFile = fromFile;

    public static PassphraseInput Create(string? file)
    {
        if (file is not null) return new PassphraseInput(ReadFile(file));
        if (Console.IsInputRedirected)
            throw new CliException(TalkCodes.NoPassphrase, "There is no terminal to ask for the passphrase on; give it with --passphrase-file FILE.");
        return new PassphraseInput(null);
    }

    public string Read(string prompt)
    {
        if (_fromFile is not null) return _fromFile;
        // The prompt goes to stderr so that stdout keeps only what the peer says (it may be a --json stream).
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return terminal.Prompt(new TextPrompt<string>(prompt).Secret(null));
    }

    /// <summary>The file's first line, without its line break: the passphrase is a line of text, as typed at the prompt.</summary>
    private static string ReadFile(string path)
    {
        string? line;
        try
        {
            using var reader = new StreamReader(path);
            line = reader.ReadLine();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(TalkCodes.NoPassphrase, $"Cannot read the passphrase file: {e.Message}");
        }
        return string.IsNullOrEmpty(line)
            ? throw new CliException(TalkCodes.NoPassphrase, $"The passphrase file {path} is empty: its first line is the passphrase.")
            : line;
    }
}
