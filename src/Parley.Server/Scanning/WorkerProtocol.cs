using System.Text.Json;
using Parley.Core.Scanning;

namespace Parley.Server.Scanning;

/// <summary>The worker's limits, the first line the supervisor writes to it.</summary>
public sealed record WorkerSettings(
    long MaxFileBytes, long MaxPixels, int MaxSide, int MaxFrames, int CpuSecondsPerFile, int FilesPerWorker, long MemoryBytes, bool TestHooks);

/// <summary>One file to scan: this line, then exactly <see cref="Length"/> raw bytes.</summary>
public sealed record WorkerRequest(string Name, string MediaType, long Length);

/// <summary>
/// A line from the worker. <c>ready</c> once started; <c>detector</c> as each detector begins (so the supervisor
/// can name the one that crashed or hung); <c>result</c> once per file, with the container's facts for a video or audio
/// file FFmpeg decoded without a finding.
/// </summary>
public sealed record WorkerMessage(
    string Type,
    string? Detector = null,
    IReadOnlyList<ScanFinding>? Findings = null,
    IReadOnlyList<DetectorTiming>? Timings = null,
    long PeakMemoryBytes = 0,
    bool Recycle = false,
    ContainerFacts? Container = null)
{
    public const string Ready = "ready";
    public const string DetectorStarted = "detector";
    public const string Result = "result";
}

/// <summary>
/// The framing both ends use (docs/scanning-worker.md): UTF-8 JSON objects, one per line (JSON escapes every
/// newline inside strings, so a line is a whole message); a request line is followed by the file's raw bytes.
/// </summary>
public static class WorkerProtocol
{
    /// <summary>No header line is longer; a longer one is a broken peer, not a file name.</summary>
    public const int MaxLineBytes = 64 * 1024;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task WriteLineAsync<T>(Stream stream, T message, CancellationToken ct)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(message, Json);
        await stream.WriteAsync(line, ct);
        await stream.WriteAsync("\n"u8.ToArray(), ct);
        await stream.FlushAsync(ct);
    }

    /// <summary>The next line's message, or null at the end of the stream.</summary>
    public static async Task<T?> ReadLineAsync<T>(Stream stream, CancellationToken ct) where T : class
    {
        var line = await ReadLineBytesAsync(stream, ct);
        return line is null ? null : JsonSerializer.Deserialize<T>(line, Json)
            ?? throw new InvalidDataException("The worker protocol line is JSON null.");
    }

    private static async Task<byte[]?> ReadLineBytesAsync(Stream stream, CancellationToken ct)
    {
        var line = new MemoryStream();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, ct) == 0) return line.Length == 0 ? null : throw new EndOfStreamException("The worker protocol line ended early.");
            if (one[0] == (byte)'\n') return line.ToArray();
            if (line.Length == MaxLineBytes) throw new InvalidDataException($"A worker protocol line is longer than {MaxLineBytes} bytes.");
            line.WriteByte(one[0]);
        }
    }
}
