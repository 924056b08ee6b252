using Parley.Core.Transfer;

namespace Parley.Client.Transfer;

/// <summary>The media type of a file, guessed from its extension: enough for receivers to show pictures and videos inline.</summary>
public static class MediaTypes
{
    /// <summary>Known extensions; the first one listed for a type is the one a saved file gets.</summary>
    private static readonly (string Extension, string MediaType)[] Known =
    [
        (".png", "image/png"),
        (".jpg", "image/jpeg"),
        (".jpeg", "image/jpeg"),
        (".gif", "image/gif"),
        (".webp", "image/webp"),
        (".avif", "image/avif"),
        (".heic", "image/heic"),
        (".svg", "image/svg+xml"),
        (".mp4", "video/mp4"),
        (".webm", "video/webm"),
        (".mov", "video/quicktime"),
        (".mp3", "audio/mpeg"),
        (".ogg", "audio/ogg"),
        (".opus", "audio/opus"),
        (".wav", "audio/wav"),
        (".flac", "audio/flac"),
        (".m4a", "audio/mp4"),
        (".oga", "audio/ogg"),
        (".m4v", "video/mp4"),
        (".mkv", "video/x-matroska"),
        (".txt", "text/plain"),
        (".md", "text/markdown"),
        (".csv", "text/csv"),
        (".json", "application/json"),
        (".pdf", "application/pdf"),
        (".zip", "application/zip"),
        (".gz", "application/gzip"),
    ];

    private static readonly Dictionary<string, string> ByExtension =
        Known.ToDictionary(k => k.Extension, k => k.MediaType, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, string> ByMediaType =
        Known.DistinctBy(k => k.MediaType).ToDictionary(k => k.MediaType, k => k.Extension);

    public static string FromFileName(string fileName) =>
        ByExtension.GetValueOrDefault(Path.GetExtension(fileName)) ?? TransferRules.DefaultMediaType;

    /// <summary>The usual extension for a media type (".png"), or "" when none is known.</summary>
    public static string ExtensionFor(string mediaType) => ByMediaType.GetValueOrDefault(mediaType, "");
}
