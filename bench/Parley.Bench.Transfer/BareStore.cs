using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Parley.Bench.Transfer;

/// <summary>
/// The baseline for a new upload: the client hashes the file (.NET SHA-256, what a content id costs), then PUTs it to a
/// bare Kestrel endpoint that stores the body to a file, optionally fsynced before it answers. No protocol, no database,
/// no verification, no chunking: whatever Parley spends beyond this is its cost.
/// </summary>
internal sealed class BareStore : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _folder;

    private BareStore(WebApplication app, Uri address, string folder)
    {
        _app = app;
        Address = address;
        _folder = folder;
    }

    public Uri Address { get; }

    public static async Task<BareStore> StartAsync(string folder)
    {
        Directory.CreateDirectory(folder);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapPut("/store/{name}", async (HttpContext context, string name, bool fsync) =>
        {
            context.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = null;
            await using var file = new FileStream(Path.Combine(folder, name), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
            await context.Request.Body.CopyToAsync(file, 256 * 1024);
            if (fsync) file.Flush(flushToDisk: true);
            return Results.Ok(file.Length);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new BareStore(app, new Uri(address), folder);
    }

    /// <summary>Hashes, then uploads; the stored copy is removed afterwards (outside the timing is the caller's business).</summary>
    /// <returns>The hash's time and the PUT's (its request until its answer).</returns>
    public async Task<(TimeSpan Hash, TimeSpan Put)> HashAndPutAsync(string path, bool fsync)
    {
        var hash = Stopwatch.StartNew();
        Measure.Sha256File(path);
        var hashed = hash.Elapsed;
        var put = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        await using var file = File.OpenRead(path);
        var name = Guid.NewGuid().ToString("N");
        using var response = await http.PutAsync(new Uri(Address, $"/store/{name}?fsync={fsync}"), new StreamContent(file, 256 * 1024));
        response.EnsureSuccessStatusCode();
        var took = put.Elapsed;
        File.Delete(Path.Combine(_folder, name));
        return (hashed, took);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
