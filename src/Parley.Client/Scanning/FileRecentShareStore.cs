using System.Text.Json;
using Parley.Core.Json;

namespace Parley.Client.Scanning;

/// <summary>
/// The recent shares as one JSON file, replaced whole (a temporary file, then a rename) so a process killed mid-write
/// leaves the old list or the new one. A damaged file is an empty list: it only costs the rescans of those files.
/// </summary>
public sealed class FileRecentShareStore(string path) : IRecentShareStore
{
    private readonly Lock _writing = new();

    public string Path { get; } = path;

    public IReadOnlyList<RecentShare> List()
    {
        try
        {
            return JsonSerializer.Deserialize<List<RecentShare>>(File.ReadAllText(Path), ParleyJson.Options) ?? [];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or JsonException)
        {
            return [];
        }
    }

    public void Remember(RecentShare share)
    {
        lock (_writing) Write(RecentShares.With(List(), share));
    }

    public void Forget(string path, string contentId)
    {
        lock (_writing)
        {
            var list = List();
            if (list.Any(s => RecentShares.Same(s, path, contentId))) Write([.. list.Where(s => !RecentShares.Same(s, path, contentId))]);
        }
    }

    private void Write(IReadOnlyList<RecentShare> list)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        var temporary = $"{Path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        // Paths of what the user shared are private to them.
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(temporary, options)) JsonSerializer.Serialize(file, list, ParleyJson.Options);
        File.Move(temporary, Path, overwrite: true);
    }
}
