using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Accounts;
using Parley.Core.Json;
using Parley.Core.Problems;
using Parley.Server.Problems;
using Parley.Testing;
using Microsoft.AspNetCore.Http;

namespace Parley.Server.Tests.ApiDocs;

/// <summary>
/// The served OpenAPI document is a contract a generator can use: every operation named, summarized, tagged,
/// with its problem responses (codes under the status they are sent with) and, where a token is needed, its security.
/// What the document must say is derived from the running endpoints, not from the document itself.
/// </summary>
public sealed class OpenApiDocumentTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    /// <summary>Codes that only name why a transfer or a passphrase session ended (a state's <c>failure</c>), never an HTTP answer.</summary>
    private static readonly string[] EndReasons =
        [ProblemCodes.TransferCancelled, ProblemCodes.TransferExpired, ProblemCodes.TransferInterrupted, ProblemCodes.PassphraseMismatch];

    private sealed record Operation(string Method, string Path, JsonObject Node)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    private async Task<JsonNode> Document() =>
        JsonNode.Parse(await fixture.Server.CreateHttpClient().GetStringAsync("/openapi/v1.json"))!;

    private static List<Operation> Operations(JsonNode document) =>
        [.. document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(op => op.Key is not ("parameters" or "summary" or "description"))
            .Select(op => new Operation(op.Key.ToUpperInvariant(), path.Key, op.Value!.AsObject())))];

    [Fact]
    public async Task Every_operation_has_a_unique_name_a_summary_a_description_and_tags()
    {
        var operations = Operations(await Document());

        Assert.True(operations.Count >= 45, $"Only {operations.Count} operations.");
        Assert.All(operations, op =>
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)op.Node["operationId"]), $"{op} has no operationId");
            Assert.False(string.IsNullOrWhiteSpace((string?)op.Node["summary"]), $"{op} has no summary");
            Assert.False(string.IsNullOrWhiteSpace((string?)op.Node["description"]), $"{op} has no description");
            Assert.NotEmpty(op.Node["tags"]!.AsArray());
        });
        var duplicates = operations.GroupBy(op => (string)op.Node["operationId"]!).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "Duplicate operationIds: " + string.Join(", ", duplicates));
    }

    [Fact]
    public async Task Every_operation_declares_its_problem_responses_with_their_codes_under_their_status()
    {
        var document = await Document();
        Assert.NotNull(document["components"]!["schemas"]!["Problem"]!["properties"]!["code"]);

        Assert.All(Operations(document), op =>
        {
            var responses = op.Node["responses"]!.AsObject();
            Assert.Contains(responses, r => r.Key.StartsWith('4'));
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
            {
                var schema = response!["content"]?[ProblemContentType]?["schema"];
                Assert.True(schema is not null, $"{op} {status} is not {ProblemContentType}");
                Assert.Equal("#/components/schemas/Problem", (string?)schema["allOf"]![0]!["$ref"]);
                var codes = response["x-problem-codes"]!.AsArray().Select(c => (string)c!).ToList();
                Assert.NotEmpty(codes);
                Assert.Equal(codes, schema["allOf"]![1]!["properties"]!["code"]!["enum"]!.AsArray().Select(c => (string)c!));
                Assert.All(codes, code => Assert.True(ProblemStatuses.Of(code).ToString() == status, $"{op} lists {code} under {status}"));
                Assert.All(codes, code => Assert.Contains($"`{code}`", (string)response["description"]!));
                if (status is "429" or "503") Assert.NotNull(response["headers"]?["Retry-After"]);
            }
            // The pipeline's own answers come with every operation.
            Assert.Contains(ProblemCodes.ServerUnavailable, responses["503"]!["x-problem-codes"]!.AsArray().Select(c => (string)c!));
        });
    }

    private const string ProblemContentType = "application/problem+json";

    [Fact]
    public async Task Operations_that_need_a_token_declare_its_scheme_and_401_and_open_ones_do_not()
    {
        var document = await Document();
        var bearer = document["components"]!["securitySchemes"]!["bearer"]!;
        Assert.Equal(("http", "bearer"), ((string)bearer["type"]!, (string)bearer["scheme"]!));
        var operations = Operations(document).ToDictionary(op => op.ToString());

        var endpoints = fixture.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => operations.Keys.Any(k => k.EndsWith(" " + OpenApiPath(e.RoutePattern.RawText!))))
            .ToList();
        Assert.True(endpoints.Count >= 45, $"Only {endpoints.Count} endpoints matched the document.");
        foreach (var endpoint in endpoints)
        foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
        {
            var op = operations[$"{method} {OpenApiPath(endpoint.RoutePattern.RawText!)}"];
            var needsToken = endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null;
            var schemes = op.Node["security"]?.AsArray().SelectMany(s => s!.AsObject().Select(p => p.Key)).ToList() ?? [];
            if (!needsToken)
            {
                Assert.True(schemes.Count == 0, $"{op} is open to anyone but declares {string.Join(", ", schemes)}");
                continue;
            }
            var node = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == "node");
            Assert.Equal([node ? "nodeKey" : "bearer"], schemes);
            var unauthorized = op.Node["responses"]!["401"]?["x-problem-codes"]?.AsArray().Select(c => (string)c!).ToList();
            Assert.True(unauthorized is not null, $"{op} needs a token but declares no 401");
            Assert.Contains(node ? ProblemCodes.NodeUnauthorized : ProblemCodes.AuthInvalidToken, unauthorized);
        }
    }

    /// <summary>OpenAPI writes "/a/{id}" for the route "a/{id:int}".</summary>
    private static string OpenApiPath(string route) =>
        "/" + System.Text.RegularExpressions.Regex.Replace(route.Trim('/'), @"\{(\w+):[^}]*\}", "{$1}");

    [Fact]
    public async Task Bodies_and_results_have_schemas()
    {
        var operations = Operations(await Document()).ToDictionary(op => op.ToString());

        Assert.All(operations.Values.Where(op => op.Node["requestBody"] is not null), op =>
            Assert.All(op.Node["requestBody"]!["content"]!.AsObject(), content => Assert.NotNull(content.Value!["schema"])));
        var created = operations["POST /api/rooms"].Node["responses"]!["201"]!["content"]!["application/json"]!["schema"]!;
        Assert.Equal("#/components/schemas/RoomDto", (string?)created["$ref"]);
        var signIn = operations["POST /api/sessions"].Node;
        Assert.Equal("#/components/schemas/SignInRequest", (string?)signIn["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]);
        Assert.Equal("#/components/schemas/SessionDto", (string?)signIn["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]);
    }

    [Fact]
    public async Task The_tus_endpoints_describe_their_headers()
    {
        var operations = Operations(await Document()).ToDictionary(op => op.ToString());
        static List<string> RequestHeaders(Operation op) =>
            [.. op.Node["parameters"]!.AsArray().Where(p => (string)p!["in"]! == "header").Select(p => (string)p!["name"]!)];
        static List<string> ResponseHeaders(Operation op, string status) => [.. op.Node["responses"]![status]!["headers"]!.AsObject().Select(h => h.Key)];

        Assert.Equal(["Tus-Checksum-Algorithm", "Tus-Extension", "Tus-Max-Size", "Tus-Resumable", "Tus-Version"],
            ResponseHeaders(operations["OPTIONS /api/uploads"], "204").Order(StringComparer.Ordinal));
        Assert.Equal(["Tus-Resumable", "Upload-Length", "Upload-Metadata"], RequestHeaders(operations["POST /api/uploads"]).Order());
        Assert.Contains("Location", ResponseHeaders(operations["POST /api/uploads"], "201"));
        Assert.Contains("Upload-Offset", ResponseHeaders(operations["HEAD /api/uploads/{uploadId}"], "200"));
        var append = operations["PATCH /api/uploads/{uploadId}"];
        Assert.Equal(["Tus-Resumable", "Upload-Checksum", "Upload-Offset"], RequestHeaders(append).Order());
        Assert.Equal("binary", (string?)append.Node["requestBody"]!["content"]!["application/offset+octet-stream"]!["schema"]!["format"]);
        Assert.Contains(ProblemCodes.UploadChecksumMismatch, append.Node["responses"]!["460"]!["x-problem-codes"]!.AsArray().Select(c => (string)c!));
        Assert.All(new[] { "POST /api/uploads", "HEAD /api/uploads/{uploadId}", "PATCH /api/uploads/{uploadId}", "DELETE /api/uploads/{uploadId}" },
            key => Assert.Contains(ProblemCodes.TusVersionUnsupported, operations[key].Node["responses"]!["412"]!["x-problem-codes"]!.AsArray().Select(c => (string)c!)));
    }

    [Fact]
    public async Task A_problem_the_server_answers_is_the_one_its_operation_declares()
    {
        var operations = Operations(await Document()).ToDictionary(op => op.ToString());
        var anonymous = fixture.Server.CreateHttpClient();
        var user = await fixture.Api.NewUser();
        var cases = new (string Operation, Func<Task<HttpResponseMessage>> Send)[]
        {
            ("GET /api/rooms", () => anonymous.GetAsync("/api/rooms")),
            ("GET /api/rooms", () => Bearer(anonymous, "pt_forged").GetAsync("/api/rooms")),
            ("POST /api/accounts", () => anonymous.PostAsJsonAsync("/api/accounts", new RegisterRequest(Api.UniqueName(), "short"), ParleyJson.Options)),
            ("POST /api/sessions", () => anonymous.PostAsJsonAsync("/api/sessions", new SignInRequest(user.Name, "wrong password"), ParleyJson.Options)),
            ("GET /api/rooms/{roomId}", () => user.Http.GetAsync("/api/rooms/r_nope")),
            ("POST /api/rooms", () => user.Http.PostAsync("/api/rooms", new StringContent("{\"name\":", System.Text.Encoding.UTF8, "application/json"))),
            ("POST /api/uploads", () => user.Http.PostAsync("/api/uploads", null)),
            ("GET /api/passphrase/sessions/{sessionId}", () => user.Http.GetAsync("/api/passphrase/sessions/p_nope")),
        };
        foreach (var (key, send) in cases)
        {
            var response = await send();
            var code = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]!;
            var declared = operations[key].Node["responses"]![((int)response.StatusCode).ToString()]?["x-problem-codes"]?.AsArray().Select(c => (string)c!);
            Assert.True(declared?.Contains(code) == true, $"{key} answered {(int)response.StatusCode} {code}, which its operation does not declare");
        }
    }

    /// <summary>
    /// Every test server audits the problems it writes (<see cref="ProblemStatusAudit"/>): a code sent with a status other
    /// than its declared one fails the request, so every suite's refusals prove the one mapping. This proves the audit is
    /// on and tells them apart.
    /// </summary>
    [Fact]
    public async Task Every_test_server_refuses_to_answer_a_code_with_a_status_it_does_not_declare()
    {
        Assert.IsType<ProblemStatusAudit>(fixture.Server.Services.GetRequiredService<IProblemDetailsService>());
        ProblemStatusAudit.Check(403, ProblemCodes.RoomNotMember);
        ProblemStatusAudit.Check(460, ProblemCodes.UploadChecksumMismatch);
        Assert.Throws<InvalidOperationException>(() => ProblemStatusAudit.Check(400, ProblemCodes.RoomNotMember));
        Assert.Throws<InvalidOperationException>(() => ProblemStatusAudit.Check(403, ProblemCodes.AuthRequired));
        Assert.Throws<ArgumentException>(() => ProblemStatusAudit.Check(409, ProblemCodes.TransferCancelled));

        // A framework answer (an unknown address) passes through the audit with the code its status is given.
        var response = await fixture.Server.CreateHttpClient().GetAsync("/api/nowhere");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(ProblemCodes.NotFound, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["code"]);
    }

    private static HttpClient Bearer(HttpClient http, string token)
    {
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return http;
    }

    [Fact]
    public void Every_problem_code_an_endpoint_answers_has_one_status_and_an_unknown_one_is_refused()
    {
        var codes = typeof(ProblemCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();

        Assert.Equal(codes.Except(EndReasons).Order(), ProblemStatuses.Codes.Order());
        Assert.Throws<ArgumentException>(() => ProblemStatuses.Of(ProblemCodes.TransferCancelled));
        Assert.Throws<ArgumentException>(() => ProblemStatuses.Of("room.forged"));
    }

    [Fact]
    public async Task The_api_reference_page_is_served_with_its_scripts_from_this_server()
    {
        var http = fixture.Server.CreateHttpClient();
        var page = await http.GetAsync("/api/reference");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        // The page starts with an inline module script, which the web client's policy would refuse.
        Assert.False(page.Headers.Contains("Content-Security-Policy"));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("\"url\":\"openapi/v1.json\"", html);
        var scripts = System.Text.RegularExpressions.Regex.Matches(html, "<script[^>]+src=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, scripts.Count);
        foreach (var script in scripts)
        {
            var address = new Uri(page.RequestMessage!.RequestUri!, script);
            Assert.Equal(fixture.Server.BaseAddress.Authority, address.Authority);
            var loaded = await http.GetAsync(address);
            Assert.Equal(HttpStatusCode.OK, loaded.StatusCode);
            Assert.Contains("javascript", loaded.Content.Headers.ContentType?.MediaType);
        }
    }
}
