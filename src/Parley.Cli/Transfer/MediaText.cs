using System.Text.RegularExpressions;
using Parley.Cli.Output;
using Parley.Core.Messaging;
using Parley.Core.Transfer;

namespace Parley.Cli.Transfer;

/// <summary>How a media message reads in a terminal: what was sent, and the command that fetches it.</summary>
internal static partial class MediaText
{
    /// <summary><c>alice sent picture.png (1.2 MiB, image/png) — parley fetch m_… -o picture.png</c>; a caption follows the name.</summary>
    public static string Markup(MessageDto message, MediaDto media)
    {
        var name = TransferRules.NormalizeFileName(media.FileName) ?? "media";
        var caption = string.IsNullOrWhiteSpace(message.Text) ? "" : $": {HumanText.Escape(message.Text)}";
        return $"[bold]{HumanText.Escape(message.SenderName)}[/] sent {HumanText.Escape(name)} ({ByteSizes.Format(media.Size)}, {HumanText.Escape(media.MediaType)}){caption}" +
            $" [grey]— parley fetch {HumanText.Escape(ShellWord(message.Id))} -o {HumanText.Escape(ShellWord(name))}[/]";
    }

    /// <summary>
    /// A word to paste into a shell as it is: plain names stay plain, anything else is single-quoted,
    /// and a name starting with '-' gets './' so it cannot pass for an option.
    /// </summary>
    private static string ShellWord(string word)
    {
        if (word.StartsWith('-')) word = "./" + word;
        return PlainWord().IsMatch(word) ? word : "'" + word.Replace("'", @"'\''") + "'";
    }

    [GeneratedRegex(@"^[A-Za-z0-9._+/:@=-]+$")]
    private static partial Regex PlainWord();
}
