using Parley.Client.Passphrase;
using Parley.Core.Transfer;

namespace Parley.Cli.Talk;

/// <summary>
/// Saves files the peer sends into one folder. The peer's name for a file is only a label: it is cut
/// to its last segment, and a file already there is never overwritten ("report (1).pdf" instead).
/// The plaintext goes to a hidden scratch file first and takes its name only once all of it authenticated.
/// </summary>
internal sealed class ReceivedFiles(string directory)
{
    private const string FallbackName = "received-file";

    public async Task<string> SaveAsync(PassphraseSession session, PassphraseFileOffer offer, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var name = TransferRules.NormalizeFileName(offer.Name) ?? FallbackName;
        var scratch = Path.Combine(directory, $".{Guid.NewGuid():N}.part");
        try
        {
            await using (var file = new FileStream(scratch, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
                await session.ReceiveFileAsync(offer, file, ct);
            return MoveToFreeName(scratch, name);
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private string MoveToFreeName(string scratch, string name)
    {
        var stem = Path.GetFileNameWithoutExtension(name);
        var extension = Path.GetExtension(name);
        for (var copy = 0; ; copy++)
        {
            var path = Path.Combine(directory, copy == 0 ? name : $"{stem} ({copy}){extension}");
            try
            {
                File.Move(scratch, path, overwrite: false);
                return path;
            }
            catch (IOException) when (File.Exists(path))
            {
                // Taken: try the next number.
            }
        }
    }
}
