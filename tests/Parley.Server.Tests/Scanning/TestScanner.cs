using Microsoft.Extensions.Logging.Abstractions;
using Parley.Core.Scanning;
using Parley.Server.Scanning;

namespace Parley.Server.Tests.Scanning;

/// <summary>
/// A worker pool as the server makes it, started from the <c>parley.dll</c> beside the tests, with the test hooks
/// on; files go through a temp folder of its own.
/// </summary>
public sealed class TestScanner : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-scan-test-").FullName;

    public TestScanner(Action<ScanningOptions>? configure = null)
    {
        Options = new ScanningOptions { TestHooks = true, FileTimeout = TimeSpan.FromSeconds(20) };
        configure?.Invoke(Options);
        Pool = new ScanWorkerPool(Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System, NullLogger<ScanWorkerPool>.Instance);
    }

    public ScanningOptions Options { get; }

    public ScanWorkerPool Pool { get; }

    public async Task<WorkerScanResult> ScanAsync(byte[] file, string mediaType, string name = "file")
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(path, file);
        return await Pool.ScanAsync(path, mediaType, name, attachment: null, CancellationToken.None);
    }

    public static byte[] Hook(string command) => [.. WorkerTestHooks.Prefix, .. System.Text.Encoding.ASCII.GetBytes(command)];

    public static string Describe(WorkerScanResult result) => string.Join("; ", result.Findings.Select(f => $"{f.Code} ({f.Detector}): {f.Detail}"));

    public static void AssertClean(WorkerScanResult result, params string[] detectors)
    {
        Assert.True(result.Findings.Count == 0, Describe(result));
        Assert.Equal(detectors.Order(), result.Timings.Select(t => t.Detector).Order());
    }

    public static ScanFinding AssertFinding(WorkerScanResult result, string code, string detector)
    {
        var finding = result.Findings.FirstOrDefault(f => f.Code == code && f.Detector == detector);
        Assert.True(finding is not null, $"Expected {code} from {detector}; got: {Describe(result)}");
        return finding;
    }

    public async ValueTask DisposeAsync()
    {
        await Pool.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
