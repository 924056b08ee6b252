using Parley.Client;
using Parley.Client.Passphrase;

namespace Parley.Cli.Talk;

/// <summary>Runs the passphrase handshake for the chosen mode, telling the person what it waits for.</summary>
internal static class TalkHandshake
{
    /// <summary>The connected session; throws <see cref="PassphraseFailedException"/> when the handshake fails.</summary>
    public static async Task<PassphraseSession> ConnectAsync(TalkMode mode, ParleyClient client, ParleyLive live, TalkOutput output, CancellationToken ct)
    {
        switch (mode)
        {
            case AskUser ask:
            {
                var passphrase = ask.Passphrase.Read($"Passphrase agreed with {ask.User}:");
                using var initiation = await PassphraseHandshake.StartAsync(client, live, ask.User, passphrase, ct);
                output.Status($"waiting for {ask.User}… (they run: parley talk --accept)");
                return await initiation.ConnectAsync(ct);
            }
            case AwaitRequest wait:
            {
                using var inbox = await PassphraseHandshake.ListenAsync(client, live, ct);
                output.Status("waiting for a request… (the other person runs: parley talk --to YOU)");
                var request = await inbox.NextRequestAsync(ct);
                output.Status($"{request.From} asks to talk");
                var passphrase = wait.Passphrase.Read($"Passphrase agreed with {request.From}:");
                return await inbox.AcceptAsync(request, passphrase, ct);
            }
            case GenerateCode:
            {
                using var initiation = await PassphraseHandshake.StartWithCodeAsync(client, live, ct);
                output.Code(initiation.Code!.ToString());
                output.Status("waiting for the other person to enter the code…");
                return await initiation.ConnectAsync(ct);
            }
            case JoinWithCode join:
                output.Status($"joining session {join.Code.Slot}…");
                return await PassphraseHandshake.JoinAsync(client, live, join.Code, ct);
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown talk mode.");
        }
    }
}
