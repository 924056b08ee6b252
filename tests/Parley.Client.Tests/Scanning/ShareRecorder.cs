using System.Net;
using System.Text;
using System.Text.Json;
using Parley.Core.Json;
using Parley.Core.Transfer;

namespace Parley.Client.Tests.Scanning;

/// <summary>
/// Sits between a client and the server: records every request (and the announcements' bodies), and lets a test act
/// at a chosen moment (publish a library version, answer in the server's place) before a request goes on.
/// </summary>
internal sealed class ShareRecorder : DelegatingHandler
{
    public ShareRecorder() : base(new SocketsHttpHandler()) { }

    public List<(HttpMethod Method, string Path)> Requests { get; } = [];

    /// <summary>The bodies of <c>POST /api/transfers</c>, in order.</summary>
    public List<CreateTransferRequest> Announcements { get; } = [];

    /// <summary>Runs before a request goes on; a response it returns is the answer instead of the server's.</summary>
    public Func<HttpRequestMessage, Task<HttpResponseMessage?>>? Before { get; set; }

    /// <summary>Requests that told the server something about content: announcements, proofs, uploads.</summary>
    public IEnumerable<(HttpMethod Method, string Path)> AboutContent =>
        Requests.Where(r => r.Path.StartsWith("/api/transfers", StringComparison.Ordinal) || r.Path.StartsWith("/api/uploads", StringComparison.Ordinal));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        lock (Requests) Requests.Add((request.Method, request.RequestUri!.AbsolutePath));
        if (request.Method == HttpMethod.Post && request.RequestUri!.AbsolutePath == "/api/transfers")
        {
            var announced = JsonSerializer.Deserialize<CreateTransferRequest>(await request.Content!.ReadAsStringAsync(ct), ParleyJson.Options)!;
            lock (Announcements) Announcements.Add(announced);
        }
        if (Before is not null && await Before(request) is { } answer) return answer;
        return await base.SendAsync(request, ct);
    }

    public static HttpResponseMessage Problem(HttpStatusCode status, string json) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/problem+json") };
}
