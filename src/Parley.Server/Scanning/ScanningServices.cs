using Microsoft.Extensions.Options;
using Parley.Server.Hosting;

namespace Parley.Server.Scanning;

public static class ScanningServices
{
    /// <summary>
    /// The server's second detection: <see cref="IMediaScanner"/>, its worker pool (workers start on first use, and
    /// stop with the server), and a ClamAV client when <c>Parley:Scanning:Clamd</c> is set; the feature library, and
    /// retroactive quarantine (<see cref="QuarantineSweeper"/>) with the operators' views of it.
    /// </summary>
    public static IServiceCollection AddParleyScanning(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ScanningOptions>().Bind(configuration.GetSection(ScanningOptions.Section))
            .Validate(o => o.Workers is null or (> 0 and <= 64) && o.FilesPerWorker > 0, "Parley:Scanning:Workers (1-64) and FilesPerWorker must be positive.")
            .Validate(o => o.FileTimeout > TimeSpan.Zero && o.ClamdTimeout > TimeSpan.Zero, "Parley:Scanning:FileTimeout and ClamdTimeout must be positive.")
            .Validate(o => o.IdentifierMaxAge > TimeSpan.Zero && o.IdentifierClockSkew >= TimeSpan.Zero,
                "Parley:Scanning:IdentifierMaxAge must be positive and IdentifierClockSkew not negative.")
            .Validate(o => o.CpuSecondsPerFile > 0 && o.MaxFileBytes > 0 && o.MaxPixels > 0 && o.MaxSide > 0 && o.MaxFrames > 0,
                "Parley:Scanning:CpuSecondsPerFile, MaxFileBytes, MaxPixels, MaxSide and MaxFrames must be positive.")
            .Validate(o => o.ManagedHeapBytes >= 64L << 20 && o.MemoryBytes >= o.ManagedHeapBytes + (256L << 20),
                "Parley:Scanning:ManagedHeapBytes must be at least 64 MiB, and MemoryBytes at least 256 MiB more than it (the runtime's own room).")
            .Validate(o => o.RescanEvery > TimeSpan.Zero && o.RescanClaimTimeout >= TimeSpan.FromSeconds(4),
                "Parley:Scanning:RescanEvery must be positive and RescanClaimTimeout at least 4 seconds.")
            .Validate(o => o.Clamd is null || Uri.TryCreate(o.Clamd, UriKind.Absolute, out var clamd) && clamd.Scheme is "tcp" or "unix",
                "Parley:Scanning:Clamd must be tcp://host:port or unix:///path.")
            .ValidateOnStart();
        services.AddOptions<ScanningOptions>().PostConfigure<IOptions<ParleyOptions>>((scanning, parley) =>
            scanning.HiddenFolders.AddRange([parley.Value.DataDirectory, parley.Value.Storage.MediaDirectory!]));
        services.AddOptions<ParleyOptions>().Validate(o => o.Operators.All(name => !string.IsNullOrWhiteSpace(name)),
            "Parley:Operators must list user names (none empty).");
        services.AddSingleton<FeatureLibraryService>();
        services.AddScoped<QuarantineService>();
        services.AddScoped<VerdictReader>();
        services.AddSingleton<RescanSignal>();
        services.AddSingleton<QuarantineSweeper>();
        services.AddHostedService(provider => provider.GetRequiredService<QuarantineSweeper>());
        services.AddSingleton<ScanWorkerPool>();
        services.AddSingleton<ScanningMetrics>();
        services.AddScoped<ShareIdentifiers>();
        services.AddScoped<ShareScreening>();
        services.AddSingleton<ShareFeedback>();
        services.AddSingleton<IMediaScanner>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<ScanningOptions>>().Value;
            var clamd = options.Clamd is { } address ? new ClamdClient(address, options.ClamdTimeout, provider.GetRequiredService<TimeProvider>()) : null;
            return new MediaScanner(provider.GetRequiredService<ScanWorkerPool>(), clamd);
        });
        return services;
    }
}
