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
/// The baseline for uploads: a minimal Kestrel endpoint in the same process that reads a PUT body and
/// throws it away. Whatever Parley spends beyond this (hashing, chunking, storing, verifying) is its cost.
/// </summary>
internal sealed class BareSink : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BareSink(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<BareSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapPut("/discard", async (HttpContext context) =>
        {
            context.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = null;
            var buffer = new byte[256 * 1024];
            long total = 0;
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0) total += read;
            return Results.Ok(total);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new BareSink(app, new Uri(address));
    }

    public async Task PutAsync(string path)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        await using var file = File.OpenRead(path);
        using var response = await http.PutAsync(new Uri(Address, "/discard"), new StreamContent(file, 256 * 1024));
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
