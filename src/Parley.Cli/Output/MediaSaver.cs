using Parley.Cli.Session;
using Parley.Client;
using Parley.Client.Transfer;
using Parley.Core.Messaging;

namespace Parley.Cli.Output;

/// <summary>
/// Downloads the media of received messages into a folder (<c>listen --save DIR</c>). The name is the
/// sender's file name reduced to its last segment (never a path), or the content id; an existing
/// file is never overwritten.
/// </summary>
internal sealed class MediaSaver(CliContext cli, ParleyClient client, DirectoryInfo folder)
{
    public async Task SaveAsync(MessageDto message, CancellationToken ct)
    {
        if (message.Media is not { } media) return;
        folder.Create();
        var name = Path.GetFileName(media.FileName ?? "") is { Length: > 0 } given ? given : media.ContentId["sha256:".Length..] + MediaTypes.ExtensionFor(media.MediaType);
        var path = FreePath(Path.Combine(folder.FullName, name));
        var saved = await client.FetchMediaAsync(message.Id, path, ct: ct);
        cli.Output.Event("saved", new { messageId = message.Id, saved.ContentId, saved.Size, saved.Path },
            $"[green]saved[/] {HumanText.Escape(saved.Path)}");
    }

    private static string FreePath(string path)
    {
        var candidate = path;
        for (var n = 1; File.Exists(candidate); n++)
            candidate = Path.Combine(Path.GetDirectoryName(path)!, $"{Path.GetFileNameWithoutExtension(path)}-{n}{Path.GetExtension(path)}");
        return candidate;
    }
}
