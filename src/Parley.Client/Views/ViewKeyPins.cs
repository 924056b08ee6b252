using System.Text.Json;
using Parley.Core.Json;
using Parley.Core.Views;

namespace Parley.Client.Views;

/// <summary>
/// Where a client keeps the view key it trusts for one server (docs/views.md, ".NET client and CLI"): pinned on first
/// use, and from then on a play signed by any other key is refused (<see cref="ViewKeyPinException"/>).
/// </summary>
public interface IViewKeyPinStore
{
    /// <summary>The pinned key, or null before the first play.</summary>
    ViewKeyDto? Pinned();

    void Pin(ViewKeyDto key);
}

/// <summary>A pin that lives as long as the process: for tests and one-off clients.</summary>
public sealed class MemoryViewKeyPinStore : IViewKeyPinStore
{
    private ViewKeyDto? _pinned;

    public ViewKeyDto? Pinned() => Volatile.Read(ref _pinned);

    public void Pin(ViewKeyDto key) => Volatile.Write(ref _pinned, key);
}

/// <summary>
/// The pin as a JSON file, written whole through a temporary file and a rename. A damaged file is an error, never an
/// empty pin: silently pinning again would trust whatever key the server offers next.
/// </summary>
public sealed class FileViewKeyPinStore(string path) : IViewKeyPinStore
{
    public string Path { get; } = path;

    public ViewKeyDto? Pinned()
    {
        string json;
        try
        {
            json = File.ReadAllText(Path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<ViewKeyDto>(json, ParleyJson.Options) is { KeyId: not null, PublicKey: not null } key
                ? key
                : throw new JsonException("no key id or public key");
        }
        catch (JsonException e)
        {
            throw new ViewKeyPinException(ViewClientCodes.PinDamaged,
                $"The pinned view key in {Path} is damaged ({e.Message}). Delete the file only if you trust the server's current view key.");
        }
    }

    public void Pin(ViewKeyDto key)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(folder);
        var temporary = $"{Path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(key, ParleyJson.Options));
        File.Move(temporary, Path, overwrite: true);
    }
}
