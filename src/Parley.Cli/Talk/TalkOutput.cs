using Parley.Cli.Output;
using Parley.Cli.Scanning;
using Parley.Cli.Session;
using Parley.Client.Scanning;
using Parley.Core.Scanning;
using Spectre.Console;

namespace Parley.Cli.Talk;

/// <summary>
/// What <c>parley talk</c> prints. With <c>--json</c>: one event object per line on stdout, each
/// with a <c>type</c>. Without: what the peer writes goes to stdout, line for line; everything else
/// is a status line on stderr, so <c>parley talk … &gt; chat.txt</c> keeps the conversation only.
/// </summary>
internal sealed class TalkOutput(CliOutput output)
{
    public bool Json => output.Json;

    /// <summary>Progress for a person ("waiting for bob…"); on stderr in both modes.</summary>
    public void Status(string text) => output.Status(text);

    public void Code(string code) =>
        Emit(new CodeLine("code", code), $"your code: {code}\ngive it to the other person; they run: parley talk --code {code}");

    public void Connected(string peer) =>
        Emit(new PeerLine("connected", peer), $"connected to {HumanText.Clean(peer)}, end-to-end encrypted; type to talk, /file PATH to send a file");

    public void Failed(string code, string reason) => Emit(new FailedLine("failed", code, reason), $"failed: {reason} ({code})");

    public void Message(string from, string text) =>
        output.Result(new MessageLine("message", from, text), line => Console.Out.WriteLine(HumanText.Clean(line.Text)));

    public void FileReceived(string from, string name, string path, long size) =>
        Emit(new FileLine("file", from, name, path, size), $"{HumanText.Clean(from)} sent {HumanText.Clean(name)} ({size:N0} bytes), saved as {path}");

    public void FileSent(string name, long size) =>
        Emit(new FileSentLine("fileSent", name, size), $"sent {HumanText.Clean(name)} ({size:N0} bytes)");

    /// <summary>A file the scan refused (the plaintext, before encryption); the conversation goes on.</summary>
    public void FileBlocked(ShareBlockedException blocked) =>
        Emit(new FileBlockedLine("fileBlocked", "blocked", ShareVerdicts.Stage(blocked.Stage), blocked.FileName, blocked.Findings, blocked.VerdictId),
            $"blocked ({ShareVerdicts.Stage(blocked.Stage)} scan): {HumanText.Clean(blocked.FileName)}" +
            string.Concat(blocked.Findings.Select(f => $"\n  {HumanText.Clean(f.Code)} — {HumanText.Clean(f.Detail)}")));

    /// <summary>Another event of the live connection (a library update, a shared file that now fails), with its own type; on stderr for a person.</summary>
    public void Event(string type, object data, string humanMarkup) =>
        output.Result(new EventLine(type, data), _ => Console.Error.WriteLine(Markup.Remove(humanMarkup)));

    public void Left(string peer) => Emit(new PeerLine("left", peer), $"{HumanText.Clean(peer)} left");

    /// <summary>A frame the relay passed on that did not open: reported, never shown as the peer's words.</summary>
    public void Rejected(long seq, string reason) =>
        Emit(new RejectedLine("rejected", seq, reason), $"refused a frame the server relayed (#{seq}): {reason}");

    /// <summary>Something this side could not do (a file it cannot read, a line too long); the conversation goes on.</summary>
    public void Error(string code, string detail) => output.Error(new CliFailure(null, code, detail));

    private void Emit<T>(T line, string human) where T : notnull =>
        output.Result(line, _ => Console.Error.WriteLine(human));

    private sealed record CodeLine(string Type, string Code);

    private sealed record PeerLine(string Type, string Peer);

    private sealed record FailedLine(string Type, string Code, string Reason);

    private sealed record MessageLine(string Type, string From, string Text);

    private sealed record FileLine(string Type, string From, string Name, string Path, long Size);

    private sealed record FileSentLine(string Type, string Name, long Size);

    private sealed record RejectedLine(string Type, long Seq, string Reason);

    private sealed record FileBlockedLine(string Type, string Verdict, string Stage, string File, IReadOnlyList<ScanFinding> Findings, string? VerdictId);

    private sealed record EventLine(string Type, object Data);
}
