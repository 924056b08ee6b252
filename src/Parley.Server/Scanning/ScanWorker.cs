using Parley.Core.Scanning.Structure;

namespace Parley.Server.Scanning;

/// <summary>
/// The worker process, <c>parley scan-worker</c> (started by <see cref="ScanWorkerPool"/>, never by hand). It reads
/// its limits, applies them to itself, then scans one file at a time from stdin and answers on stdout
/// (<see cref="WorkerProtocol"/>). It opens no file and no socket of its own: each file's bytes arrive through
/// the pipe and live in an anonymous in-memory file for as long as that file's scan lasts.
/// </summary>
public static class ScanWorker
{
    /// <summary>How much of a file's start decides its decoders (<see cref="DecodesNothing"/>).</summary>
    internal const int HeadBytes = 64;
    private const string Pictures = "image/";

    public static async Task<int> RunAsync(CancellationToken ct)
    {
        await using var output = WorkerNative.TakeProtocolOutput();
        // Buffered: protocol lines are read a byte at a time, and each would otherwise be a read(2) on the pipe.
        await using var input = new BufferedStream(Console.OpenStandardInput(), 1 << 16);
        var settings = await WorkerProtocol.ReadLineAsync<WorkerSettings>(input, ct);
        if (settings is null) return 0;
        WorkerNative.ApplyLifetimeLimits(settings);
        WorkerNative.WidenInputPipe();
        MagickPictures.Configure(settings);
        await WorkerProtocol.WriteLineAsync(output, new WorkerMessage(WorkerMessage.Ready), ct);

        while (await WorkerProtocol.ReadLineAsync<WorkerRequest>(input, ct) is { } request)
        {
            if (request.Length < 0 || request.Length > settings.MaxFileBytes)
                throw new InvalidDataException($"A request of {request.Length} bytes is outside 0..{settings.MaxFileBytes}.");
            WorkerNative.AllowCpuForNextFile(settings.CpuSecondsPerFile);
            var result = await ScanOneAsync(input, output, request, settings, ct);
            await WorkerProtocol.WriteLineAsync(output, result, ct);
        }
        return 0;
    }

    private static async Task<WorkerMessage> ScanOneAsync(Stream input, Stream output, WorkerRequest request, WorkerSettings settings, CancellationToken ct)
    {
        await using var file = WorkerNative.CreateMemoryFile("parley-scan");
        await CopyExactlyAsync(input, file, request.Length, ct);
        var head = new byte[(int)Math.Min(HeadBytes, request.Length)];
        file.Position = 0;
        await file.ReadExactlyAsync(head, ct);

        var path = $"/proc/{Environment.ProcessId}/fd/{file.SafeFileHandle.DangerousGetHandle()}";
        var scan = new WorkerScan(request, path, head, settings,
            detector => WorkerProtocol.WriteLineAsync(output, new WorkerMessage(WorkerMessage.DetectorStarted, detector), ct));
        if (!await WorkerTestHooks.TryRunAsync(scan)) await DecodeAsync(scan);
        return new WorkerMessage(WorkerMessage.Result, Findings: scan.Findings, Timings: scan.Timings,
            PeakMemoryBytes: WorkerNative.PeakResidentBytes(), Recycle: scan.Recycle, Container: scan.Container);
    }

    /// <summary>
    /// The decoders for the file's kind. An attachment (no media bytes, no media claim: a document, an archive, text)
    /// goes to none, so a text starting "BM" never reaches a picture decoder: the inspector's checks and clamd judge it.
    /// </summary>
    private static Task DecodeAsync(WorkerScan scan)
    {
        var (request, head) = (scan.Request, scan.Head);
        if (DecodesNothing(head, request.MediaType, request.Name)) return Task.CompletedTask;
        var format = FormatSniffer.Identify(head);
        if (IsPicture(request.MediaType, head)) return PictureScan.RunAsync(scan);
        return IsVideoOrAudio(request.MediaType, format) ? MediaDecoders.RunAsync(scan) : Task.CompletedTask;
    }

    /// <summary>
    /// An attachment: neither media bytes nor a media claim. The supervisor asks this too, and does not hand such a
    /// file to a worker at all (<see cref="ScanWorkerPool"/>): the answer would be no finding, after a copy of every byte.
    /// </summary>
    internal static bool DecodesNothing(ReadOnlySpan<byte> head, string mediaType, string name) =>
        MediaFormats.IsAttachment(FormatSniffer.Identify(head), mediaType, name);

    /// <summary>
    /// Pictures by declared type, and anything whose bytes are a picture whatever it claims to be. SVG is text, not
    /// decoded here: the structural checks look into it (docs/scanning.md).
    /// </summary>
    private static bool IsPicture(string mediaType, byte[] head) =>
        (mediaType.StartsWith(Pictures, StringComparison.OrdinalIgnoreCase) && !mediaType.StartsWith("image/svg", StringComparison.OrdinalIgnoreCase))
        || PictureFormats.Sniff(head) is not null;

    /// <summary>Video and audio by declared type, and anything whose bytes are a video or audio container.</summary>
    private static bool IsVideoOrAudio(string mediaType, MediaFormat format) =>
        mediaType.StartsWith("video/", StringComparison.OrdinalIgnoreCase) || mediaType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase)
        || format is MediaFormat.Mp4 or MediaFormat.QuickTime or MediaFormat.WebM or MediaFormat.Ogg or MediaFormat.Flac or MediaFormat.Wav or MediaFormat.Mp3;

    private static async Task CopyExactlyAsync(Stream input, Stream file, long length, CancellationToken ct)
    {
        var buffer = new byte[81920];
        for (var left = length; left > 0;)
        {
            var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), ct);
            if (read == 0) throw new EndOfStreamException("The supervisor sent fewer bytes than announced.");
            await file.WriteAsync(buffer.AsMemory(0, read), ct);
            left -= read;
        }
    }
}
