using Parley.Testing.Scanning;

namespace Parley.Client.Tests.Transfer;

/// <summary>A temporary folder of files for one test, deleted with it.</summary>
public sealed class TestFiles : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("parley-client-transfer-").FullName;

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>
    /// A picture of noise of exactly <paramref name="length"/> bytes: content no server has seen, so every test starts
    /// without dedup hits, and that both detections pass, so it can be shared (name it <c>.png</c>).
    /// </summary>
    public (string Path, byte[] Content) Picture(string name, int length) => Write(name, NoisePictures.Png(length));

    public (string Path, byte[] Content) Write(string name, byte[] content)
    {
        var path = PathOf(name);
        File.WriteAllBytes(path, content);
        return (path, content);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
