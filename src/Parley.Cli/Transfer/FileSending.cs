using System.CommandLine;
using Parley.Cli.Output;
using Parley.Cli.Scanning;
using Parley.Cli.Session;
using Parley.Client;
using Parley.Client.Transfer;
using Parley.Core.Transfer;
using Spectre.Console;

namespace Parley.Cli.Transfer;

/// <summary><c>parley send FILE</c>: the file goes through the deduplicated transfer, resumable across runs.</summary>
internal static class FileSending
{
    public static Option<long?> LimitRateOption() => new("--limit-rate")
    {
        Description = "For a file: upload at most this many bytes per second, e.g. 500K or 2M.",
        CustomParser = result =>
        {
            if (ByteSizes.TryParseRate(result.Tokens[0].Value, out var rate)) return rate;
            result.AddError($"'{result.Tokens[0].Value}' is not a rate: give bytes per second, or a number with K, M or G, e.g. 500K.");
            return null;
        },
    };

    /// <summary>Unfinished uploads are kept in the account's folder, so the same send run again continues them.</summary>
    public static async Task SendAsync(CliContext cli, ParleyClient client, string path, string? roomId, string? userName, long? rate, CancellationToken ct)
    {
        var options = new SendFileOptions
        {
            Room = roomId,
            To = userName,
            ResumeStore = new FileUploadResumeStore(cli.CurrentAccount().UploadsPath),
            MaxUploadBytesPerSecond = rate,
        };
        using var key = client.UseScanning(cli);
        var sent = await TransferErrors.TranslateAsync(() =>
            ProgressDisplay.RunAsync(cli.Output, jsonLines: true, progress => client.SendFileAsync(path, options with { Progress = progress }, ct)));
        cli.Output.Result(new SentFile(sent.ContentId, sent.Size, sent.BytesUploaded, sent.Dedup, sent.Message.Id, key is null ? null : Passed),
            _ => AnsiConsole.MarkupLine(Describe(sent)));
    }

    /// <summary>The verdict of a share the first detection (and the server's second) let through.</summary>
    public const string Passed = "passed";

    /// <param name="Verdict">"passed" when the file was scanned; null when this install has no device key to scan with.</param>
    private sealed record SentFile(string ContentId, long Size, long BytesUploaded, DedupTier Dedup, string MessageId, string? Verdict);

    private static string Describe(SendFileResult sent)
    {
        var what = $"Sent [bold]{HumanText.Escape(sent.Message.Media?.FileName ?? sent.ContentId)}[/] ({ByteSizes.Format(sent.Size)})";
        return sent.Dedup switch
        {
            DedupTier.Local => $"{what}: the server already had it, nothing uploaded.",
            DedupTier.Central => $"{what}: the central node already had it, nothing uploaded.",
            DedupTier.Partial => $"{what}: uploaded {ByteSizes.Format(sent.BytesUploaded)}, the server had the rest.",
            _ => $"{what}: uploaded {ByteSizes.Format(sent.BytesUploaded)}.",
        };
    }
}
