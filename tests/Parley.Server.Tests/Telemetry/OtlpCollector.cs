using System.Collections.Concurrent;
using System.Net;
using Parley.Testing;

namespace Parley.Server.Tests.Telemetry;

/// <summary>A stand-in OTLP/HTTP collector on a loopback port: it accepts every export and remembers what was posted where.</summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly Task _serving;

    private OtlpCollector(int port)
    {
        Address = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Address + "/");
        _listener.Start();
        _serving = Serve();
    }

    public string Address { get; }

    /// <summary>"METHOD /path" of every request received.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    public static OtlpCollector Start() => new(FreePorts.Next());

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return; // stopped
            }
            await context.Request.InputStream.CopyToAsync(Stream.Null);
            _requests.Enqueue($"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath}");
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _serving;
        _listener.Close();
    }
}
