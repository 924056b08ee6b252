using System.Security.Cryptography;
using System.Text.Json;
using Parley.Testing.Scanning;

namespace Parley.EndToEnd.Tests.Transfer;

/// <summary>
/// What one transfer test sets up: a temporary folder for data and files, and the processes and users
/// to stop when the test ends (users first, whose commands may still run, then servers).
/// </summary>
internal sealed class Workspace : IDisposable
{
    private readonly List<IDisposable> _cleanup = [];

    public string Root { get; } = Directory.CreateTempSubdirectory("parley-e2e-transfer-").FullName;

    public string PathOf(string name) => Path.Combine(Root, name);

    public async Task<ServerProcess> StartServerAsync(string name, params string[] options) =>
        Track(await ServerProcess.StartAsync(FreePorts.Next(), PathOf(name), options));

    public async Task<CliUser> RegisteredUserAsync(string name, ServerProcess server)
    {
        var user = Track(new CliUser(name, server.Address));
        (await user.RegisterAsync()).Succeeded();
        return user;
    }

    /// <summary>
    /// A new file of content no server has seen yet: random bytes, or for a <c>.png</c> name a picture of random pixels
    /// (<see cref="NoisePictures"/>) of about that length, which passes the scans every share goes through.
    /// </summary>
    public (string Path, byte[] Content) RandomFile(string name, int length)
    {
        var content = name.EndsWith(".png", StringComparison.Ordinal) ? NoisePictures.Png(length) : RandomNumberGenerator.GetBytes(length);
        File.WriteAllBytes(PathOf(name), content);
        return (PathOf(name), content);
    }

    private T Track<T>(T disposable) where T : IDisposable
    {
        _cleanup.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        foreach (var item in Enumerable.Reverse(_cleanup)) item.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}

/// <summary>The result line of <c>send FILE --json</c>, after its progress lines.</summary>
internal sealed record SentFile(string ContentId, long Size, long BytesUploaded, string Dedup, string MessageId)
{
    public static SentFile From(CliRun run)
    {
        var lines = run.Succeeded().JsonLines();
        Assert.All(lines.SkipLast(1), line => Assert.Equal("progress", line.GetProperty("type").GetString()));
        var result = lines[^1];
        Assert.Equal(["contentId", "size", "bytesUploaded", "dedup", "messageId", "verdict"], result.EnumerateObject().Select(p => p.Name));
        // Every file a CLI user sends went through the first detection (the user registered a device key).
        Assert.Equal("passed", result.GetProperty("verdict").GetString());
        return new SentFile(result.GetProperty("contentId").GetString()!, result.GetProperty("size").GetInt64(),
            result.GetProperty("bytesUploaded").GetInt64(), result.GetProperty("dedup").GetString()!, result.GetProperty("messageId").GetString()!);
    }
}

internal static class FetchedFile
{
    /// <summary>Runs <c>fetch --json</c> into a new file and returns the bytes saved.</summary>
    public static async Task<byte[]> FetchAsync(this CliUser user, Workspace workspace, string mediaId)
    {
        var destination = workspace.PathOf($"fetched-{Guid.NewGuid():N}");
        var fetched = (await user.RunAsync("fetch", mediaId, "-o", destination, "--json")).Succeeded().Json();
        Assert.Equal(destination, fetched.GetProperty("path").GetString());
        var bytes = await File.ReadAllBytesAsync(destination);
        Assert.Equal(bytes.Length, fetched.GetProperty("size").GetInt64());
        return bytes;
    }

    public static string? Text(this JsonElement line, string member) => line.GetProperty(member).GetString();
}
