using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Parley.Core.Problems;
using Parley.Server.Problems;
using Parley.Server.Scanning;
using Parley.Server.Storage;
using Parley.Server.Transfer;

namespace Parley.Server.Views;

/// <summary>
/// A play's stream: the video's bytes like <c>/api/media</c> (ranges, no sniffing, a sandbox policy), opened by the
/// access token in its URL rather than a bearer token so that a &lt;video&gt; element can use it. The bytes actually
/// written to the response are added to the play's <c>bytes_served</c> in the shared database, at least every
/// <see cref="FlushEvery"/> bytes and at the end, so any node judging a report sees them.
/// </summary>
public static class PlayStream
{
    public const int FlushEvery = 256 * 1024;

    public static string Url(string playId, byte[] token) => $"/api/views/plays/{playId}/stream?access={Base64Url.EncodeToString(token)}";

    public static async Task<IResult> Serve(
        string playId, string? access, HttpContext http, ParleyDbContext db, TransferService transfers, ChunkStore store, IServiceScopeFactory scopes, CancellationToken ct)
    {
        var play = await db.Plays.AsNoTracking().Where(p => p.Id == playId)
            .Select(p => new { p.AccessHash, p.EndedAt, p.ContentId, p.MessageId }).SingleOrDefaultAsync(ct);
        if (play is null || !TokenMatches(access, play.AccessHash))
            return new Refusal(ProblemCodes.ViewPlayNotFound, "No such play, or not its access token.").ToProblem();
        if (play.EndedAt is not null) return new Refusal(ProblemCodes.ViewPlayEnded, "This play has ended; start a new one.").ToProblem();
        if (await QuarantineService.IsQuarantinedAsync(db, play.ContentId, ct)) return MediaResponses.Quarantined.ToProblem();
        var message = await db.Messages.AsNoTracking().Where(m => m.Id == play.MessageId).Select(m => new { m.MediaType, m.MediaSize }).SingleAsync(ct);
        var chunks = await transfers.BlobChunkList(play.ContentId, message.MediaSize ?? 0, ct);
        if (chunks is null) return MediaResponses.NotFound.ToProblem();

        MediaResponses.Guard(http.Response);
        // Every byte of a play must come from the server to be counted: nothing may answer from a cache.
        http.Response.Headers.CacheControl = "no-store";
        var video = TypedResults.Stream(store.OpenBlob(chunks), message.MediaType, entityTag: new EntityTagHeaderValue($"\"{play.ContentId}\""),
            enableRangeProcessing: true);
        return new CountedResult(video, new ServedBytes(playId, scopes));
    }

    private static bool TokenMatches(string? access, byte[] stored)
    {
        if (access is null || Base64Url.GetMaxDecodedLength(access.Length) > 64) return false;
        Span<byte> token = stackalloc byte[64];
        if (Base64Url.DecodeFromChars(access, token, out var consumed, out var written) != OperationStatus.Done || consumed != access.Length) return false;
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(token[..written]), stored);
    }

    /// <summary>Runs the stream result with the response body counted, and stores the rest of the count when it ends, however it ends.</summary>
    private sealed class CountedResult(IResult inner, ServedBytes served) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            var body = http.Response.Body;
            http.Response.Body = new CountingStream(body, served, http.Response);
            try
            {
                await inner.ExecuteAsync(http);
            }
            finally
            {
                http.Response.Body = body;
                await served.FlushAsync();
            }
        }
    }

    /// <summary>Bytes written to one play's response and not yet stored.</summary>
    private sealed class ServedBytes(string playId, IServiceScopeFactory scopes)
    {
        private long _pending;

        public async ValueTask AddAsync(int count)
        {
            _pending += count;
            if (_pending >= FlushEvery) await FlushAsync();
        }

        /// <summary>An atomic increment, so streams of one play on several nodes add up.</summary>
        public async Task FlushAsync()
        {
            if (_pending == 0) return;
            var count = _pending;
            _pending = 0;
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ParleyDbContext>().Plays.Where(p => p.Id == playId)
                .ExecuteUpdateAsync(set => set.SetProperty(p => p.BytesServed, p => p.BytesServed + count), CancellationToken.None);
        }
    }

    /// <summary>
    /// A write-only wrapper that counts what the inner stream accepted. The write that completes the response is counted
    /// (and stored) before it goes out: a client that has every byte may report them at once, on any node.
    /// </summary>
    private sealed class CountingStream(Stream inner, ServedBytes served, HttpResponse response) : Stream
    {
        private long _written;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
        {
            _written += buffer.Length;
            if (_written >= response.ContentLength)
            {
                await served.AddAsync(buffer.Length);
                await served.FlushAsync();
                await inner.WriteAsync(buffer, ct);
                return;
            }
            await inner.WriteAsync(buffer, ct);
            await served.AddAsync(buffer.Length);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override Task FlushAsync(CancellationToken ct) => inner.FlushAsync(ct);
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
