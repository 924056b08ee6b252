using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Testing;

namespace Parley.Server.Tests.Hosting;

/// <summary>
/// Keeps the "500 on hostile input" class from coming back: reads the running server's OpenAPI
/// document and sends every operation a bounded, seeded set of hostile requests (malformed,
/// oversized and wrong-type bodies, odd charsets and content types, every kind of Accept, odd path
/// and query values, with a valid, a garbage and no token), plus tus headers on /api/uploads and the
/// hub's negotiate. Any 5xx, hang, or unhandled exception in the server's log fails it.
/// </summary>
public sealed class EndpointFuzzTests
{
    private const int Seed = 20261128;
    private const int RequestsPerOperation = 60;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(40);

    private static readonly string[] Accepts = ["", "text/html", "text/html,application/xhtml+xml,*/*;q=0.8", "application/xml", "text/event-stream", "*/*", "application/problem+json", "image/*;q=abc"];
    private static readonly string[] ContentTypes = ["application/json", "application/json; charset=bogus", "application/json; charset=utf-16", "application/json;charset=\"\"",
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/offset+octet-stream", "application/json; charset=utf-8; x=\"", ";;;", ""];

    private static readonly string[] OddValues = ["nonexistent", "r_", "u_x", "-1", "0", "99999999999999999999", new string('r', 3000), "%00", "%2e%2e%2f%2e%2e", "%ff%fe",
        "%C3%A9%E2%82%AC", "'%20OR%201=1", "%7B%7D", "null", "NaN", "1e309", "%20"];

    private static readonly string[] OddQueries = ["", "?limit=abc", "?after=-1&before=5", "?after=99999999999999999999", "?limit=0", "?limit=%00", "?after=1e3", "?after=1&after=2",
        "?" + new string('q', 5000) + "=1", "?access_token=pt_nope", "?after=%20"];

    [Fact]
    public async Task No_hostile_request_to_any_endpoint_gets_a_5xx_or_an_unhandled_exception()
    {
        var logs = new CapturedLogs();
        await using var server = await RunningServer.StartAsync(configureServices: logs.AddTo);
        var api = new Api(server);
        var alice = await api.NewUser("alice");
        var bob = await api.NewUser("bob");
        var room = await api.NewRoom(alice, bob);
        var document = JsonNode.Parse(await server.CreateHttpClient().GetStringAsync("/openapi/v1.json"))!;
        var operations = Operations(document).ToList();
        Assert.True(operations.Count >= 30, $"Only {operations.Count} operations in the OpenAPI document.");

        var random = new Random(Seed);
        var known = new[] { room.Id, alice.Name, bob.Id, "1" };
        var tokens = new[] { alice.Token, null, "pt_garbagegarbagegarbagegarbagegarbage", "not-a-token", new string('x', 5000) };
        var failures = new List<string>();
        var sent = 0;
        var clock = Stopwatch.StartNew();
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(15) };

        foreach (var operation in operations)
        {
            for (var i = 0; i < RequestsPerOperation && clock.Elapsed < Budget; i++)
            {
                var token = tokens[random.Next(tokens.Length)];
                // Signing the fuzzing user out would turn every later "valid token" case into an invalid one.
                if (operation.Path == "/api/sessions/current" && token == alice.Token) token = null;
                var request = HostileRequest(random, operation, known, document, token);
                await Send(http, request, failures);
                sent++;
            }
        }
        foreach (var request in TusRequests(random, alice.Token).Concat(HubRequests(alice.Token)))
        {
            await Send(http, request, failures);
            sent++;
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} hostile requests failed:\n" + string.Join("\n", failures.Take(40)));
        var errors = logs.Errors.ToList();
        Assert.True(errors.Count == 0, $"{errors.Count} errors logged:\n" + string.Join("\n", errors.Take(10).Select(e => $"{e.Category}: {e.Message} {e.Exception}")));
        Assert.True(sent > operations.Count * 10, $"Only {sent} requests in the time budget.");
    }

    private sealed record Operation(string Method, string Path, JsonNode? Body, IReadOnlyList<(string Name, bool InPath)> Parameters);

    private static IEnumerable<Operation> Operations(JsonNode document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        foreach (var (method, operation) in item!.AsObject())
        {
            if (method is "parameters" or "summary" or "description") continue;
            var parameters = (operation!["parameters"]?.AsArray() ?? [])
                .Select(p => (p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>() == "path")).ToList();
            var schema = operation["requestBody"]?["content"]?["application/json"]?["schema"];
            yield return new Operation(method.ToUpperInvariant(), path, schema, parameters);
        }
    }

    private static HttpRequestMessage HostileRequest(Random random, Operation operation, string[] known, JsonNode document, string? token)
    {
        var path = operation.Path;
        foreach (var (name, inPath) in operation.Parameters.Where(p => p.InPath))
        {
            var value = random.Next(3) == 0 ? Uri.EscapeDataString(known[random.Next(known.Length)]) : OddValues[random.Next(OddValues.Length)];
            path = System.Text.RegularExpressions.Regex.Replace(path, "\\{" + name + "(:[^}]*)?\\}", value);
        }
        var query = operation.Parameters.Any(p => !p.InPath)
            ? string.Join("&", operation.Parameters.Where(p => !p.InPath).Select(p => $"{p.Name}={OddValues[random.Next(OddValues.Length)]}"))
            : "";
        var extra = OddQueries[random.Next(OddQueries.Length)];
        var uri = path + (query.Length > 0 ? "?" + query + (extra.Length > 0 ? "&" + extra[1..] : "") : extra);

        var request = new HttpRequestMessage(new HttpMethod(operation.Method), uri);
        var accept = Accepts[random.Next(Accepts.Length)];
        if (accept.Length > 0) request.Headers.TryAddWithoutValidation("Accept", accept);
        if (token is not null) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        if (operation.Body is not null || random.Next(4) == 0)
        {
            var content = new ByteArrayContent(HostileBody(random, operation.Body, document));
            var contentType = random.Next(3) == 0 ? ContentTypes[random.Next(ContentTypes.Length)] : "application/json";
            if (contentType.Length > 0) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            request.Content = content;
        }
        return request;
    }

    private static byte[] HostileBody(Random random, JsonNode? schema, JsonNode document)
    {
        var properties = Properties(schema, document);
        switch (random.Next(10))
        {
            case 0:
                string[] broken = ["", "{", "}", "null", "[]", "{}", "123", "\"text\"", "{\"a\":", "\u0000\u0001", "{\"text\":\"x\"} trailing", "\uFEFF{}", "{\"\":1,\"\":2}"];
                return Encoding.UTF8.GetBytes(broken[random.Next(broken.Length)]);
            case 1:
                return Encoding.UTF8.GetBytes(new string('[', 5000) + new string(']', 5000));
            case 2:
                var noise = new byte[random.Next(1, 2000)];
                random.NextBytes(noise);
                return noise;
            case 3:
                return Encoding.UTF8.GetBytes("{\"x\":\"" + new string('x', 70_000) + "\"}");
            default:
                var body = Plausible(properties);
                if (properties.Count > 0)
                {
                    var victim = properties[random.Next(properties.Count)].Name;
                    JsonNode?[] wrong = [12345, -1, 1e308, true, null, new JsonArray(1, 2), new JsonObject { ["a"] = 1 }, "", "\u0000", new string('x', 20_000),
                        "99999999999999999999", "sha256:zz", "%00", "é€\uD800"];
                    body[victim] = wrong[random.Next(wrong.Length)]?.DeepClone();
                }
                if (random.Next(4) == 0) body.Remove(properties.Count > 0 ? properties[0].Name : "x");
                return Encoding.UTF8.GetBytes(body.ToJsonString());
        }
    }

    private static List<(string Name, string? Type)> Properties(JsonNode? schema, JsonNode document)
    {
        if (schema?["$ref"]?.GetValue<string>() is { } reference)
            schema = document["components"]?["schemas"]?[reference.Split('/').Last()];
        return (schema?["properties"]?.AsObject() ?? [])
            .Select(p => (p.Key, p.Value?["type"] is JsonValue type ? type.ToString() : p.Value?["type"]?.AsArray().FirstOrDefault()?.ToString()))
            .ToList();
    }

    private static JsonObject Plausible(List<(string Name, string? Type)> properties)
    {
        var body = new JsonObject();
        foreach (var (name, type) in properties)
            body[name] = type switch
            {
                "integer" or "number" => 1,
                "boolean" => true,
                "array" => new JsonArray(),
                "object" => new JsonObject(),
                _ => "fuzz",
            };
        return body;
    }

    /// <summary>tus 1.0.0 headers, right and wrong, on creation and on an upload that may or may not exist.</summary>
    private static IEnumerable<HttpRequestMessage> TusRequests(Random random, string token)
    {
        string?[] versions = ["1.0.0", "0.2.2", "", "1.0.0, 1.0.0", null];
        string?[] lengths = ["10", "-1", "abc", "99999999999999999999", "0", "", "1e3", null, "9223372036854775807"];
        string?[] metadata = ["transferId dHI=", "transferId !!!", "transferId", ",,,", "filename " + new string('A', 9000), "transferId dHI=,transferId dHI=", null, "filename 4pyT"];
        string?[] offsets = ["0", "-5", "abc", "99999999999999999999", "", null];
        string?[] checksums = ["sha1 AAAA", "md5 xyz", "sha1", "sha1 !!!", null];
        string[] uploads = ["nonexistent", "%00", new string('u', 3000), "..%2F..%2Fparley.db"];
        for (var i = 0; i < 150; i++)
        {
            var create = random.Next(2) == 0;
            var method = create ? HttpMethod.Post : new[] { HttpMethod.Patch, HttpMethod.Head, HttpMethod.Delete, HttpMethod.Options }[random.Next(4)];
            var request = new HttpRequestMessage(method, create ? "/api/uploads" : "/api/uploads/" + uploads[random.Next(uploads.Length)]);
            if (random.Next(5) > 0) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            Add(request, "Tus-Resumable", versions[random.Next(versions.Length)]);
            Add(request, "Upload-Length", lengths[random.Next(lengths.Length)]);
            Add(request, "Upload-Defer-Length", random.Next(4) == 0 ? "1" : null);
            Add(request, "Upload-Metadata", metadata[random.Next(metadata.Length)]);
            Add(request, "Upload-Offset", offsets[random.Next(offsets.Length)]);
            Add(request, "Upload-Checksum", checksums[random.Next(checksums.Length)]);
            Add(request, "Accept", Accepts[random.Next(Accepts.Length)]);
            if (method == HttpMethod.Patch || random.Next(3) == 0)
            {
                var bytes = new byte[random.Next(0, 3000)];
                random.NextBytes(bytes);
                request.Content = new ByteArrayContent(bytes);
                request.Content.Headers.TryAddWithoutValidation("Content-Type", random.Next(3) == 0 ? "application/json" : "application/offset+octet-stream");
            }
            yield return request;
        }
    }

    private static void Add(HttpRequestMessage request, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value)) request.Headers.TryAddWithoutValidation(name, value);
    }

    /// <summary>The hub's transports, as a browser reconnecting with a good, a signed-out or no token would use them.</summary>
    private static IEnumerable<HttpRequestMessage> HubRequests(string token)
    {
        foreach (var accessToken in new[] { token, "pt_signedoutsignedoutsignedout", "", "%00" })
        foreach (var accept in new[] { "text/html", "text/event-stream", "*/*", "" })
        {
            var negotiate = new HttpRequestMessage(HttpMethod.Post, $"/hub/negotiate?negotiateVersion={(accept.Length % 3) - 1}&access_token={accessToken}");
            var poll = new HttpRequestMessage(HttpMethod.Get, $"/hub?id=nope&access_token={accessToken}");
            foreach (var request in new[] { negotiate, poll })
            {
                if (accept.Length > 0) request.Headers.TryAddWithoutValidation("Accept", accept);
                yield return request;
            }
        }
    }

    private static async Task Send(HttpClient http, HttpRequestMessage request, List<string> failures)
    {
        var uri = request.RequestUri!.ToString();
        var described = $"{request.Method} {(uri.Length > 150 ? uri[..150] + "…" : uri)} (Accept: {request.Headers.Accept}, Content-Type: {request.Content?.Headers.ContentType}, "
                        + $"{request.Content?.Headers.ContentLength} bytes)";
        // One connection per request: the server may rightly close a connection whose request body it did not
        // read (a 401 or 413 before the body), and a reused connection would blame the next request for it.
        request.Headers.ConnectionClose = true;
        try
        {
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500)
                failures.Add($"{(int)response.StatusCode} for {described}: {body[..Math.Min(body.Length, 300)]}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            failures.Add($"{e.GetType().Name} for {described}: {e.Message} {e.InnerException?.Message}");
        }
        finally
        {
            request.Dispose();
        }
    }
}
