using Parley.Cli.Output;
using Parley.Client;
using Parley.Client.Passphrase;
using Parley.Client.Scanning;
using Parley.Core.Passphrase;

namespace Parley.Cli.Talk;

/// <summary>
/// A connected session at the terminal: each line of standard input goes to the peer (<c>/file PATH</c>
/// sends a file), and what the peer sends is printed. Ends when standard input ends (the peer is told),
/// when the peer leaves, or when the server fails the session.
/// </summary>
internal static class Conversation
{
    private const string FileCommand = "/file ";

    /// <returns>The exit code: 0 when the session closed normally, 1 when it failed.</returns>
    public static async Task<int> RunAsync(PassphraseSession session, TalkOutput output, ReceivedFiles files, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var receiving = ReceiveAsync(session, output, files, stop.Token);
        // Console reads block their thread, and cannot be cancelled: the reader gets a thread of its own,
        // and is left behind when the peer ends the session first (the process is about to exit).
        var sending = Task.Run(() => SendLinesAsync(session, output, stop.Token), stop.Token);

        if (await Task.WhenAny(receiving, sending) == sending)
        {
            await sending;
            await stop.CancelAsync();
            try
            {
                await receiving;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped on purpose: this side is done.
            }
            return 0;
        }
        var ending = await receiving;
        await stop.CancelAsync();
        return ending is PassphraseSessionFailed ? 1 : 0;
    }

    /// <returns>The event that ended the session (the peer left, or it failed), or null if the live connection was closed.</returns>
    private static async Task<PassphraseEvent?> ReceiveAsync(PassphraseSession session, TalkOutput output, ReceivedFiles files, CancellationToken ct)
    {
        await foreach (var received in session.ReadEventsAsync(ct))
        {
            switch (received)
            {
                case PassphraseTextReceived text:
                    output.Message(text.From, text.Text);
                    break;
                case PassphraseFileOffered { File: var offer } file:
                    await SaveAsync(session, offer, file.From, output, files, ct);
                    break;
                case PassphraseFrameRejected rejected:
                    output.Rejected(rejected.Seq, rejected.Reason);
                    break;
                case PassphrasePeerLeft left:
                    output.Left(left.Peer);
                    return left;
                case PassphraseSessionFailed failed:
                    output.Failed(failed.Code, failed.Reason);
                    return failed;
            }
        }
        return null;
    }

    private static async Task SaveAsync(PassphraseSession session, PassphraseFileOffer offer, string from, TalkOutput output, ReceivedFiles files, CancellationToken ct)
    {
        try
        {
            var path = await files.SaveAsync(session, offer, ct);
            output.FileReceived(from, offer.Name, path, offer.Size);
        }
        catch (Exception e) when (e is PassphraseProtocolException or ParleyApiException or IOException or UnauthorizedAccessException)
        {
            // One file that cannot be fetched, opened or saved does not end the conversation.
            output.Error(TalkCodes.FileRefused, $"Could not receive {offer.Name}: {e.Message}");
        }
    }

    private static async Task SendLinesAsync(PassphraseSession session, TalkOutput output, CancellationToken ct)
    {
        while (await Console.In.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith(FileCommand, StringComparison.Ordinal)) await SendFileAsync(session, line[FileCommand.Length..].Trim(), output, ct);
            else await SendTextAsync(session, line, output, ct);
        }
        await session.CloseAsync(ct);
    }

    private static async Task SendTextAsync(PassphraseSession session, string line, TalkOutput output, CancellationToken ct)
    {
        try
        {
            await session.SendAsync(line, ct);
        }
        catch (ArgumentException e)
        {
            output.Error(TalkCodes.LineTooLong, $"Not sent: {e.Message}");
        }
    }

    private static async Task SendFileAsync(PassphraseSession session, string path, TalkOutput output, CancellationToken ct)
    {
        try
        {
            var sent = await session.SendFileAsync(path, ct);
            output.FileSent(sent.Name, sent.Size);
        }
        catch (ShareBlockedException e)
        {
            output.FileBlocked(e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            output.Error(TalkCodes.FileUnreadable, $"Not sent: cannot read {path}: {e.Message}");
        }
    }
}
