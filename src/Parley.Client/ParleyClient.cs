using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Parley.Core.Json;

namespace Parley.Client;

/// <summary>
/// Typed access to a Parley server's HTTP API. Every refusal surfaces as a
/// <see cref="ParleyApiException"/> carrying the server's problem code; network failures stay the
/// <see cref="HttpRequestException"/> they are.
/// </summary>
public sealed partial class ParleyClient : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="server">The server's base address, e.g. <c>http://127.0.0.1:5080</c>.</param>
    /// <param name="token">A bearer token from an earlier sign-in, if any.</param>
    /// <param name="handler">Replaces the network stack (tests, proxies); the caller keeps ownership of it.</param>
    public ParleyClient(Uri server, string? token = null, HttpMessageHandler? handler = null)
    {
        Server = server;
        Token = token;
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.BaseAddress = server;
    }

    public Uri Server { get; }

    /// <summary>The bearer token sent with every request; set by <see cref="SignInAsync"/>, cleared by <see cref="SignOutAsync"/>.</summary>
    public string? Token { get; set; }

    private Task<T> GetAsync<T>(string path, CancellationToken ct) => SendAsync<T>(HttpMethod.Get, path, body: null, ct);

    private Task<T> PostAsync<T>(string path, object? body, CancellationToken ct) => SendAsync<T>(HttpMethod.Post, path, body, ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var response = await SendRawAsync(method, path, body, ct);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(ParleyJson.Options, ct)
                ?? throw new JsonException("The body is JSON null.");
        }
        catch (JsonException e)
        {
            var status = (int)response.StatusCode;
            throw new ParleyApiException(status, ClientCodes.InvalidResponse, "Invalid response",
                $"The server's answer to {method} {path} is not the expected JSON: {e.Message}");
        }
    }

    /// <summary>Sends the request and returns the answer if it succeeded; throws the server's problem otherwise.</summary>
    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (Token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: ParleyJson.Options);
        var response = await _http.SendAsync(request, ct);
        if (response.IsSuccessStatusCode) return response;
        using (response) throw await ProblemReader.ReadAsync(response, ct);
    }

    /// <summary>
    /// Escapes a caller-supplied id or name so it stays one path segment. "." and ".." would survive
    /// escaping and be resolved away by <see cref="Uri"/>, aiming the request at another endpoint; no id or name is either.
    /// </summary>
    private static string Segment(string value) =>
        value is "" or "." or ".."
            ? throw new ArgumentException($"'{value}' is not a room id or user name.", nameof(value))
            : Uri.EscapeDataString(value);

    public void Dispose() => _http.Dispose();
}
