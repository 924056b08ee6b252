using System.Net;

namespace Parley.Client.Tests.Transfer;

/// <summary>
/// Sits between a client and the network: records what is sent, and can cut the first PATCH body off
/// after some bytes, the way a dropped connection or a killed process would.
/// </summary>
internal sealed class Wiretap : DelegatingHandler
{
    private readonly long? _cutAfter;
    private readonly Func<Exception>? _cut;
    private int _patches;

    /// <param name="cutFirstPatchAfter">Bytes of the first PATCH body that get through before <paramref name="cut"/>'s exception.</param>
    public Wiretap(long? cutFirstPatchAfter = null, Func<Exception>? cut = null) : base(new SocketsHttpHandler())
    {
        _cutAfter = cutFirstPatchAfter;
        _cut = cut;
    }

    public List<(HttpMethod Method, string Path, string? Range)> Requests { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        lock (Requests) Requests.Add((request.Method, request.RequestUri!.AbsolutePath, request.Headers.Range?.ToString()));
        if (request.Method == HttpMethod.Patch && Interlocked.Increment(ref _patches) == 1 && _cutAfter is { } after)
            request.Content = new CutOffContent(request.Content!, after, _cut ?? (() => new IOException("Connection cut by the test.")));
        return base.SendAsync(request, ct);
    }

    private sealed class CutOffContent : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly long _after;
        private readonly Func<Exception> _cut;

        public CutOffContent(HttpContent inner, long after, Func<Exception> cut)
        {
            (_inner, _after, _cut) = (inner, after, cut);
            foreach (var (name, values) in inner.Headers) Headers.TryAddWithoutValidation(name, values);
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await using var source = await _inner.ReadAsStreamAsync();
            var buffer = new byte[64 * 1024];
            long sent = 0;
            while (sent < _after)
            {
                var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, _after - sent)));
                if (read == 0) return;
                await stream.WriteAsync(buffer.AsMemory(0, read));
                sent += read;
            }
            await stream.FlushAsync();
            throw _cut();
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _inner.Headers.ContentLength ?? 0;
            return _inner.Headers.ContentLength is not null;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
