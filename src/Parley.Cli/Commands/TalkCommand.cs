using System.CommandLine;
using Parley.Cli.Output;
using Parley.Cli.Scanning;
using Parley.Cli.Session;
using Parley.Cli.Talk;
using Parley.Client;
using Parley.Client.Passphrase;
using Parley.Core.Passphrase;

namespace Parley.Cli.Commands;

/// <summary>
/// <c>parley talk</c>: an end-to-end encrypted conversation with someone who shares a passphrase
/// (docs/passphrase.md). Standard input goes to the peer line by line; what the peer sends is printed.
/// </summary>
public static class TalkCommand
{
    public static Command Create()
    {
        var to = new Option<string>("--to") { Description = "Ask this user for a session; they answer with --accept." };
        var accept = new Option<bool>("--accept") { Description = "Wait for someone to ask you (--to), and answer." };
        var generate = new Option<bool>("--generate") { Description = "Make a one-time code such as 7-crossover-clockwork for the other person's --code." };
        var code = new Option<string>("--code") { Description = "Join the session of a code from --generate." };
        var passphraseFile = new Option<string>("--passphrase-file") { Description = "Read the passphrase from the first line of this file (with --to or --accept) instead of prompting." };
        var save = new Option<string>("--save") { Description = "Folder for files the peer sends; default: the current folder." };
        var command = new Command("talk", "Talk end-to-end encrypted with someone who knows the same passphrase.")
        {
            to, accept, generate, code, passphraseFile, save,
        };
        command.Validators.Add(result =>
        {
            var modes = new[] { result.GetValue(to) is not null, result.GetValue(accept), result.GetValue(generate), result.GetValue(code) is not null };
            if (modes.Count(chosen => chosen) != 1) result.AddError("Give exactly one of --to USER, --accept, --generate or --code CODE.");
            if (result.GetValue(passphraseFile) is not null && (result.GetValue(generate) || result.GetValue(code) is not null))
                result.AddError("--passphrase-file goes with --to or --accept: a code carries its own passphrase.");
        });

        // The conversation decides the exit code: a failed session is reported as a "failed" event, not as an error on top of it.
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            var mode = ModeOf(parse.GetValue(to), parse.GetValue(accept), parse.GetValue(code), parse.GetValue(passphraseFile));
            return await TalkAsync(cli, mode, Path.GetFullPath(parse.GetValue(save) ?? Directory.GetCurrentDirectory()), ct);
        }, "Print one JSON event per line: code, connected, message, file, fileSent, rejected, left, failed.");
    }

    private static TalkMode ModeOf(string? to, bool accept, string? code, string? passphraseFile)
    {
        if (to is not null) return new AskUser(to, PassphraseInput.Create(passphraseFile));
        if (accept) return new AwaitRequest(PassphraseInput.Create(passphraseFile));
        if (code is null) return new GenerateCode();
        try
        {
            return new JoinWithCode(PassphraseCode.Parse(code));
        }
        catch (FormatException e)
        {
            throw new CliException(TalkCodes.InvalidCode, e.Message);
        }
    }

    private static async Task<int> TalkAsync(CliContext cli, TalkMode mode, string saveDirectory, CancellationToken ct)
    {
        var output = new TalkOutput(cli.Output);
        using var client = cli.SignedInClient();
        using var key = client.UseScanning(cli);
        await using var live = new ParleyLive(client);
        LibraryFollowing.Follow(cli, client, live, (type, data, human) => output.Event(type, data, human));
        live.Reconnecting += _ => output.Status("connection lost; reconnecting…");
        live.Reconnected += () => output.Status("reconnected");

        PassphraseSession session;
        try
        {
            session = await TalkHandshake.ConnectAsync(mode, client, live, output, ct);
        }
        catch (PassphraseFailedException e)
        {
            output.Failed(e.Code, e.Reason);
            return 1;
        }
        using (session)
        {
            output.Connected(session.Peer);
            return await Conversation.RunAsync(session, output, new ReceivedFiles(saveDirectory), ct);
        }
    }
}
