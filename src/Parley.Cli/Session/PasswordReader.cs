using Spectre.Console;

namespace Parley.Cli.Session;

/// <summary>Gets a password without it showing up in the shell history or on screen.</summary>
internal static class PasswordReader
{
    /// <param name="fromStdin">Read the first line of standard input (scripts: <c>echo "$PW" | parley login … --password-stdin</c>).</param>
    /// <param name="confirm">Ask twice (choosing a new password), so a typo does not lock the user out.</param>
    public static string Read(bool fromStdin, bool confirm)
    {
        if (fromStdin)
        {
            var line = Console.In.ReadLine();
            return string.IsNullOrEmpty(line)
                ? throw new CliException(CliCodes.NoPassword, "--password-stdin was given but standard input holds no password.")
                : line;
        }
        if (Console.IsInputRedirected)
            throw new CliException(CliCodes.NoPassword, "There is no terminal to ask for the password on; pipe it in with --password-stdin.");

        // The prompt goes to stderr so that stdout keeps only results (it may be a --json stream).
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var password = terminal.Prompt(new TextPrompt<string>("Password:").Secret(null));
        if (confirm && terminal.Prompt(new TextPrompt<string>("Repeat the password:").Secret(null)) != password)
            throw new CliException(CliCodes.PasswordMismatch, "The two passwords differ; nothing was changed.");
        return password;
    }
}
