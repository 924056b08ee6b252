using System.Net;
using System.Text;
using System.Text.Json;
using Parley.Core.Passphrase;
using Parley.Core.Problems;
using Parley.Testing;

namespace Parley.Server.Tests.Passphrase;

/// <summary>
/// Seeded, bounded property tests of the relay's parsers: whatever a client sends as a share,
/// confirmation, random or frame (or as the whole body), the answer is the documented one, decided
/// by a reference decoder, and never a 5xx.
/// </summary>
public sealed class PassphraseParserPropertyTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const int Cases = 150;
    private readonly Api _api = fixture.Api;

    private static bool DecodesTo(string? value, int length) => Base64Fuzz.TryDecode(value, out var bytes) && bytes.Length == length;

    private static bool IsFrame(string? value) => Base64Fuzz.TryDecode(value, out var bytes) && bytes.Length is >= 1 and <= PakeRules.MaxFrameLength;

    private static string? Value(Random random, int length) => Base64Fuzz.Around(random, length);

    /// <summary>A connected session between two fresh users, to aim answers, confirmations and frames at.</summary>
    private async Task<(TestUser A, TestUser B, string SessionId)> Connected()
    {
        var a = await _api.NewUser("alice");
        var b = await _api.NewUser("bob");
        var session = await PakeCalls.Start(a, b.Name);
        Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Answer(b, session.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Confirm(a, session.Id)).StatusCode);
        return (a, b, session.Id);
    }

    /// <summary>A missing or null member does not fit the request's schema: 400 <c>request.invalid</c> before any decoding.</summary>
    private static async Task AssertRefused(HttpResponseMessage response, string code, params string?[] values) =>
        await Api.AssertProblem(response, HttpStatusCode.BadRequest, values.Any(v => v is null) ? ProblemCodes.RequestInvalid : code);

    private static Task<HttpResponseMessage> PostRaw(TestUser user, string path, string body) =>
        user.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    private static string Json(object body) => JsonSerializer.Serialize(body);

    [Fact]
    public async Task Any_share_confirmation_or_random_gets_its_documented_answer()
    {
        var random = new Random(1402);
        var (a, b, id) = await Connected();
        for (var i = 0; i < Cases; i++)
        {
            // Start: a share that decodes to 65 bytes gets as far as looking up the responder (nobody here).
            var share = Value(random, Spake2.ShareLength);
            var started = await PostRaw(a, "/api/passphrase/sessions", Json(new { share, to = "nobody-here" }));
            if (DecodesTo(share, Spake2.ShareLength)) await Api.AssertProblem(started, HttpStatusCode.NotFound, ProblemCodes.UserNotFound);
            else await AssertRefused(started, ProblemCodes.PassphraseInvalidShare, share);

            // Answer and confirm on a connected session: well-formed values reach the state check.
            var (answerShare, confirmation, randomB) = (Value(random, Spake2.ShareLength), Value(random, 32), Value(random, 32));
            var answered = await PostRaw(b, $"/api/passphrase/sessions/{id}/answer", Json(new { share = answerShare, confirmation, random = randomB }));
            if (DecodesTo(answerShare, Spake2.ShareLength) && DecodesTo(confirmation, 32) && DecodesTo(randomB, 32))
                await Api.AssertProblem(answered, HttpStatusCode.Conflict, ProblemCodes.PassphraseWrongState);
            else await AssertRefused(answered, ProblemCodes.PassphraseInvalidShare, answerShare, confirmation, randomB);

            var (confirmationA, randomA) = (Value(random, 32), Value(random, 32));
            var confirmed = await PostRaw(a, $"/api/passphrase/sessions/{id}/confirm", Json(new { confirmation = confirmationA, random = randomA }));
            if (DecodesTo(confirmationA, 32) && DecodesTo(randomA, 32)) await Api.AssertProblem(confirmed, HttpStatusCode.Conflict, ProblemCodes.PassphraseWrongState);
            else await AssertRefused(confirmed, ProblemCodes.PassphraseInvalidShare, confirmationA, randomA);
        }
    }

    [Fact]
    public async Task Any_frame_is_relayed_or_refused_as_documented()
    {
        var random = new Random(1403);
        var (a, _, id) = await Connected();
        for (var i = 0; i < Cases; i++)
        {
            // Lengths around both limits: empty, small, and near 32 KiB.
            var length = random.Next(3) == 0 ? PakeRules.MaxFrameLength - 2 + random.Next(5) : random.Next(0, 200);
            var frame = Value(random, length);
            var body = Json(new { frame });
            var sent = await PostRaw(a, $"/api/passphrase/sessions/{id}/messages", body);
            // Bodies over Parley:Limits:MaxRequestBodyBytes (64 KiB by default) are refused before they are read.
            if (Encoding.UTF8.GetByteCount(body) > 64 * 1024) await Api.AssertProblem(sent, HttpStatusCode.RequestEntityTooLarge, ProblemCodes.RequestTooLarge);
            else if (IsFrame(frame)) Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
            else await AssertRefused(sent, ProblemCodes.PassphraseInvalidFrame, frame);
        }
    }

    [Fact]
    public async Task Any_body_gets_a_problem_answer_never_a_server_error()
    {
        var random = new Random(1404);
        var (a, b, id) = await Connected();
        string[] paths = ["/api/passphrase/sessions", $"/api/passphrase/sessions/{id}/answer", $"/api/passphrase/sessions/{id}/confirm",
            $"/api/passphrase/sessions/{id}/messages", $"/api/passphrase/sessions/{id}/fail"];
        string[] bodies = ["", "null", "[]", "{", "{}", "\"share\"", "{\"share\":12}", "{\"share\":{}}", "{\"frame\":[1,2]}", "{\"to\":5,\"share\":\"AA==\"}",
            "{\"code\":\"yes\",\"share\":\"AA==\"}", "{\"share\":\"AA==\",\"code\":true,\"to\":\"x\"}", "{\"confirmation\":null,\"random\":null}", "{\"frame\":\"\\u0000\"}"];
        for (var i = 0; i < Cases; i++)
        {
            var body = bodies[random.Next(bodies.Length)];
            if (random.Next(3) == 0 && body.Length > 0) body = body.Remove(random.Next(body.Length), 1); // cut a character out
            var path = paths[random.Next(paths.Length)];
            var response = await PostRaw(random.Next(2) == 0 ? a : b, path, body);
            Assert.True((int)response.StatusCode < 500, $"{path} {body}: {(int)response.StatusCode}");
            if (!response.IsSuccessStatusCode)
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
