using System.Security.Cryptography;
using Parley.Client.Scanning;
using Parley.Client.Transfer;
using Parley.Core.Passphrase;
using Parley.Core.Transfer;

namespace Parley.Client.Passphrase;

/// <summary>What <see cref="PassphraseSession.SendFileAsync"/> sent: the plaintext's name and size, and the relayed ciphertext's content id.</summary>
public sealed record PassphraseFileSent(string Name, long Size, string ContentId);

public sealed partial class PassphraseSession
{
    /// <summary>The only name the server sees for a file; the real one travels inside the channel.</summary>
    private const string RelayedFileName = "passphrase-file.sealed";

    /// <summary>
    /// Sends a file end-to-end encrypted: sealed on this device under a fresh key
    /// (<see cref="PassphraseFileCipher"/>), the ciphertext delivered to the peer by the transfer
    /// service (as opaque media in the two users' direct room), then its name, size, location and key
    /// sent inside the channel. The server stores and serves ciphertext only. With <see cref="ParleyClient.Scanning"/>,
    /// the plaintext goes through the first detection before it is encrypted.
    /// </summary>
    /// <exception cref="ShareBlockedException">The plaintext did not pass the local scan; nothing was sent.</exception>
    public async Task<PassphraseFileSent> SendFileAsync(string path, CancellationToken ct = default)
    {
        var name = Path.GetFileName(path);
        var key = PassphraseFileCipher.CreateKey();
        var sealedPath = ScratchPath();
        try
        {
            long size;
            PassedScan? scan;
            await using (var plaintext = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous))
            {
                // The server sees ciphertext only: the device's scan of the plaintext is the only detection this file gets.
                scan = await SharePreflight.CheckAsync(_client, plaintext, name, mediaType: null, ct);
                plaintext.Position = 0;
                await using var ciphertext = new FileStream(sealedPath, ScratchFile(FileMode.CreateNew, FileAccess.Write));
                size = await PassphraseFileCipher.EncryptAsync(plaintext, ciphertext, key, ct);
            }
            var relayed = await _client.SendFileAsync(sealedPath,
                new SendFileOptions { To = Peer, FileName = RelayedFileName, MediaType = TransferRules.DefaultMediaType, Sealed = true }, ct);
            SharePreflight.Remember(_client, path, scan);
            await SendContentAsync(new FileContent(name, size, relayed.ContentId, relayed.Message.Id, Convert.ToBase64String(key)), ct);
            return new PassphraseFileSent(name, size, relayed.ContentId);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            File.Delete(sealedPath);
        }
    }

    /// <summary>
    /// Fetches an offered file's ciphertext and writes its plaintext to <paramref name="destination"/>,
    /// each chunk only after it authenticated. Throws <see cref="PassphraseProtocolException"/>
    /// (<see cref="PassphraseFailure.Tampered"/>) if any chunk was altered, moved or cut off, or the
    /// size is not the announced one: <paramref name="destination"/> then holds an incomplete file to discard.
    /// </summary>
    public async Task ReceiveFileAsync(PassphraseFileOffer offer, Stream destination, CancellationToken ct = default)
    {
        var sealedPath = ScratchPath();
        try
        {
            // The download checks the bytes against the content id; authenticity is the cipher's job below.
            await _client.FetchMediaAsync(offer.MessageId, sealedPath, progress: null, ct);
            await using var ciphertext = new FileStream(sealedPath, ScratchFile(FileMode.Open, FileAccess.Read));
            var size = await PassphraseFileCipher.DecryptAsync(ciphertext, destination, offer.Key, ct);
            if (size != offer.Size)
                throw new PassphraseProtocolException(PassphraseFailure.Tampered, $"The file holds {size} bytes, not the {offer.Size} the peer announced.");
        }
        finally
        {
            File.Delete(sealedPath);
            // An interrupted download leaves its partial copy beside the target, to resume from; a scratch copy is not resumed.
            File.Delete(sealedPath + ".part");
        }
    }

    private static string ScratchPath() => Path.Combine(Path.GetTempPath(), $"parley-{Guid.NewGuid():N}.sealed");

    private static FileStreamOptions ScratchFile(FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Options = FileOptions.Asynchronous };
        if (mode == FileMode.CreateNew && !OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return options;
    }
}
