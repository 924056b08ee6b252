using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Transfer;
using Parley.Server.Scanning;

namespace Parley.Server.Tests.Scanning;

/// <summary>
/// The server's own <see cref="IMediaScanner"/> (worker and all), counting the files it scans by content id: a test
/// double for counting only, so a test can tell a reused verdict (no scan) from a fresh one.
/// </summary>
public sealed class CountingScanner(IMediaScanner inner, CountingScanner.Count count) : IMediaScanner
{
    public sealed class Count
    {
        private readonly ConcurrentDictionary<string, int> _byContent = new();

        public int Of(string contentId) => _byContent.GetValueOrDefault(contentId);

        internal void Add(string contentId) => _byContent.AddOrUpdate(contentId, 1, (_, n) => n + 1);
    }

    /// <summary>Replaces the registered scanner with one that counts and then runs it.</summary>
    public static void Wrap(IServiceCollection services, Count count)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IMediaScanner));
        services.Remove(registered);
        services.AddSingleton<IMediaScanner>(provider => new CountingScanner((IMediaScanner)registered.ImplementationFactory!(provider), count));
    }

    public async Task<MediaScanReport> ScanAsync(string path, string mediaType, string name, bool? attachment, CancellationToken ct)
    {
        count.Add(ContentId.Of(await File.ReadAllBytesAsync(path, ct)).ToString());
        return await inner.ScanAsync(path, mediaType, name, attachment, ct);
    }
}
