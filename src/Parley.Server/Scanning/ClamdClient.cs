using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Parley.Server.Scanning;

/// <summary>What clamd said: <see cref="Signature"/> when it found something, <see cref="Error"/> when it could not say.</summary>
public sealed record ClamdVerdict(string? Signature, string? Error)
{
    public bool Clean => Signature is null && Error is null;
}

/// <summary>
/// A ClamAV daemon asked over INSTREAM (<c>zINSTREAM\0</c>, chunks of <c>[4-byte big-endian length][data]</c>, a
/// zero-length chunk, then one reply ending in <c>\0</c>: <c>stream: OK</c>, <c>stream: NAME FOUND</c> or
/// <c>… ERROR</c>). Over its StreamMaxLength clamd closes early; the reply is still read after the broken pipe.
/// Everything that is not a clear OK or FOUND is an <see cref="ClamdVerdict.Error"/>, which fails the scan closed.
/// </summary>
public sealed class ClamdClient(string address, TimeSpan timeout, TimeProvider time)
{
    private const int ChunkBytes = 64 * 1024;
    private const int MaxReplyBytes = 4096;

    public async Task<ClamdVerdict> ScanAsync(string path, CancellationToken ct)
    {
        using var expiry = new CancellationTokenSource(timeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, expiry.Token);
        try
        {
            using var socket = await ConnectAsync(deadline.Token);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await SendAsync(stream, path, deadline.Token);
            return Parse(await ReadReplyAsync(stream, deadline.Token));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ClamdVerdict(null, $"clamd did not answer within {timeout.TotalSeconds:0.#} s.");
        }
        catch (Exception e) when (e is SocketException or IOException or FormatException)
        {
            return new ClamdVerdict(null, $"clamd at {address}: {e.Message}");
        }
    }

    private async Task<Socket> ConnectAsync(CancellationToken ct)
    {
        var uri = new Uri(address);
        var (endpoint, socket) = uri.Scheme switch
        {
            "tcp" => ((EndPoint)new DnsEndPoint(uri.Host, uri.Port), new Socket(SocketType.Stream, ProtocolType.Tcp)),
            "unix" => (new UnixDomainSocketEndPoint(uri.AbsolutePath), new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)),
            _ => throw new FormatException($"Parley:Scanning:Clamd must be tcp://host:port or unix:///path, not {address}."),
        };
        try
        {
            await socket.ConnectAsync(endpoint, ct);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task SendAsync(NetworkStream stream, string path, CancellationToken ct)
    {
        try
        {
            await stream.WriteAsync("zINSTREAM\0"u8.ToArray(), ct);
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkBytes, useAsync: true);
            var chunk = new byte[4 + ChunkBytes];
            int read;
            while ((read = await file.ReadAsync(chunk.AsMemory(4, ChunkBytes), ct)) > 0)
            {
                BinaryPrimitives.WriteInt32BigEndian(chunk, read);
                await stream.WriteAsync(chunk.AsMemory(0, 4 + read), ct);
            }
            await stream.WriteAsync(new byte[4], ct);
        }
        catch (IOException)
        {
            // clamd stops reading past its StreamMaxLength and says why in its reply, read next.
        }
    }

    private static async Task<string> ReadReplyAsync(NetworkStream stream, CancellationToken ct)
    {
        var reply = new List<byte>();
        var buffer = new byte[256];
        while (reply.Count < MaxReplyBytes)
        {
            var read = await stream.ReadAsync(buffer, ct);
            if (read == 0) break;
            var end = Array.IndexOf(buffer, (byte)0, 0, read);
            reply.AddRange(buffer.AsSpan(0, end < 0 ? read : end));
            if (end >= 0) break;
        }
        return Encoding.UTF8.GetString(reply.ToArray()).Trim();
    }

    private static ClamdVerdict Parse(string reply)
    {
        if (reply == "stream: OK") return new ClamdVerdict(null, null);
        if (reply.StartsWith("stream: ", StringComparison.Ordinal) && reply.EndsWith(" FOUND", StringComparison.Ordinal))
            return new ClamdVerdict(reply["stream: ".Length..^" FOUND".Length], null);
        return new ClamdVerdict(null, reply.Length == 0 ? "clamd closed the connection without a reply." : $"clamd: {reply}");
    }
}
