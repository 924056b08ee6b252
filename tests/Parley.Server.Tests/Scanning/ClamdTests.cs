using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Parley.Core.Scanning;
using Parley.Server.Scanning;
using Parley.Testing;

namespace Parley.Server.Tests.Scanning;

/// <summary>ClamAV over INSTREAM against a real clamd that knows only this test's signatures, alone and inside <see cref="IMediaScanner"/>.</summary>
public sealed class ClamdTests : IAsyncLifetime
{
    private const string Marker = "PARLEY-CLAMD-TEST-PAYLOAD";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private ClamdServer _clamd = null!;
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-clamd-test-").FullName;

    public async Task InitializeAsync() =>
        _clamd = await ClamdServer.StartAsync(new Dictionary<string, string>
        {
            ["parley.ndb"] = $"Parley.Test.Marker:0:*:{Convert.ToHexStringLower(Encoding.ASCII.GetBytes(Marker))}",
        }, streamMaxBytes: 1 << 20);

    public async Task DisposeAsync()
    {
        await _clamd.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<string> Write(byte[] bytes)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }

    /// <summary>A real PNG with the marker appended after its end, as a payload would be.</summary>
    private static byte[] CarrierPng() => [.. TestMedia.Png(), .. Encoding.ASCII.GetBytes(Marker)];

    [Fact]
    public async Task Clamd_finds_the_custom_signature_and_passes_a_clean_file()
    {
        var client = new ClamdClient(_clamd.Address, Patience, TimeProvider.System);
        var found = await client.ScanAsync(await Write(CarrierPng()), CancellationToken.None);
        Assert.Equal("Parley.Test.Marker.UNOFFICIAL", found.Signature);
        Assert.True((await client.ScanAsync(await Write(TestMedia.Png()), CancellationToken.None)).Clean);
    }

    [Fact]
    public async Task A_stream_over_clamds_limit_is_an_error_not_a_pass()
    {
        var verdict = await new ClamdClient(_clamd.Address, Patience, TimeProvider.System).ScanAsync(await Write(new byte[3 << 20]), CancellationToken.None);
        Assert.False(verdict.Clean);
        Assert.Null(verdict.Signature);
        Assert.Contains("size limit", verdict.Error);
    }

    [Fact]
    public async Task An_unreachable_clamd_is_an_error_not_a_pass()
    {
        var verdict = await new ClamdClient($"tcp://127.0.0.1:{FreePorts.Next()}", Patience, TimeProvider.System).ScanAsync(await Write(TestMedia.Png()), CancellationToken.None);
        Assert.False(verdict.Clean);
        Assert.NotNull(verdict.Error);
    }

    [Fact]
    public async Task A_clamd_that_never_answers_is_an_error_once_the_timeout_passes()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var time = new FakeTimeProvider();
        var client = new ClamdClient($"tcp://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}", TimeSpan.FromSeconds(30), time);
        var scan = client.ScanAsync(await Write(TestMedia.Png()), CancellationToken.None);
        using var connection = await silent.AcceptTcpClientAsync();
        Assert.False(scan.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(30));
        var verdict = await scan;
        Assert.Null(verdict.Signature);
        Assert.Contains("did not answer within 30 s", verdict.Error);
    }

    [Fact]
    public async Task The_servers_media_scanner_runs_the_worker_and_clamd_side_by_side()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Scanning:Clamd"] = _clamd.Address });
        var scanner = server.Services.GetRequiredService<IMediaScanner>();
        Assert.Contains(server.DataDirectory, server.Services.GetRequiredService<IOptions<ScanningOptions>>().Value.HiddenFolders);

        var clean = await scanner.ScanAsync(await Write(TestMedia.Png()), "image/png", "clean.png", attachment: null, CancellationToken.None);
        Assert.True(clean.Passed, string.Join("; ", clean.Findings));
        Assert.Equal(["clamd", "magick", "skia"], clean.Timings.Select(t => t.Detector).Order());

        var carrier = await scanner.ScanAsync(await Write(CarrierPng()), "image/png", "carrier.png", attachment: null, CancellationToken.None);
        Assert.False(carrier.Passed);
        var finding = Assert.Single(carrier.Findings);
        Assert.Equal((ScanFindingCodes.ClamAvMatch, MediaScanner.ClamdDetector), (finding.Code, finding.Detector));
        Assert.Contains("Parley.Test.Marker", finding.Detail);
    }

    [Fact]
    public async Task The_media_scanner_fails_closed_when_clamd_is_down()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Scanning:Clamd"] = $"tcp://127.0.0.1:{FreePorts.Next()}",
        });
        var report = await server.Services.GetRequiredService<IMediaScanner>().ScanAsync(await Write(TestMedia.Png()), "image/png", "a.png", attachment: null, CancellationToken.None);
        Assert.False(report.Passed);
        Assert.Equal(ScanFindingCodes.ScanUnavailable, Assert.Single(report.Findings).Code);
    }
}
