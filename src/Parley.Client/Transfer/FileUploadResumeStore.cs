using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Parley.Core.Json;

namespace Parley.Client.Transfer;

/// <summary>
/// One small JSON file per unfinished upload in a folder of its own. Writes replace the file whole
/// (a temporary file, then a rename), so a process killed mid-write leaves the old entry or the new one.
/// </summary>
public sealed class FileUploadResumeStore(string directory) : IUploadResumeStore
{
    public string Directory { get; } = directory;

    public UploadResumeEntry? Find(UploadResumeKey key)
    {
        var path = PathOf(key);
        try
        {
            var stored = JsonSerializer.Deserialize<StoredEntry>(File.ReadAllText(path), ParleyJson.Options);
            // The file name is a hash of the key; the key inside guards against a file copied or renamed by hand.
            return stored is not null && stored.Key == key ? new UploadResumeEntry(stored.TransferId, stored.UploadUrl) : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (JsonException)
        {
            // A damaged entry only costs a fresh upload.
            File.Delete(path);
            return null;
        }
    }

    public void Save(UploadResumeKey key, UploadResumeEntry entry)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(key);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(temporary, options))
            JsonSerializer.Serialize(file, new StoredEntry(key, entry.TransferId, entry.UploadUrl), ParleyJson.Options);
        File.Move(temporary, path, overwrite: true);
    }

    public void Remove(UploadResumeKey key)
    {
        try
        {
            File.Delete(PathOf(key));
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was ever saved here.
        }
    }

    private string PathOf(UploadResumeKey key)
    {
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{key.Server}\n{key.ContentId}\n{key.Target}")));
        return Path.Combine(Directory, name + ".json");
    }

    private sealed record StoredEntry(UploadResumeKey Key, string TransferId, string UploadUrl);
}
