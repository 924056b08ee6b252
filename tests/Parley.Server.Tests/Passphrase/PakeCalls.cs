using System.Net;
using Parley.Core.Passphrase;

namespace Parley.Server.Tests.Passphrase;

/// <summary>
/// The relay's calls with well-formed stand-in values: the server checks sizes and states, never the
/// SPAKE2 values themselves, so tests of timing and limits need no scrypt.
/// </summary>
public static class PakeCalls
{
    public static string B64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes);

    public static readonly string AnyShare = B64(Spake2.Start(Spake2Role.A, PassphraseSecret.Derive("x", "a", "b")).Share);

    public static Task<HttpResponseMessage> TryStart(TestUser a, string? to) =>
        Api.PostJson(a.Http, "/api/passphrase/sessions", new StartPakeRequest(AnyShare, To: to, Code: to is null));

    /// <summary>Opens a named session to <paramref name="to"/>, or a code session when it is null.</summary>
    public static async Task<PakeSessionDto> Start(TestUser a, string? to) => await Api.Read<PakeSessionDto>(await TryStart(a, to), HttpStatusCode.Created);

    public static Task<HttpResponseMessage> Claim(TestUser b, int slot) => b.Http.PostAsync($"/api/passphrase/slots/{slot}/claim", null);

    public static Task<HttpResponseMessage> Answer(TestUser b, string sessionId) =>
        Api.PostJson(b.Http, $"/api/passphrase/sessions/{sessionId}/answer", new AnswerPakeRequest(AnyShare, B64(new byte[32]), B64(new byte[32])));

    public static Task<HttpResponseMessage> Confirm(TestUser a, string sessionId) =>
        Api.PostJson(a.Http, $"/api/passphrase/sessions/{sessionId}/confirm", new ConfirmPakeRequest(B64(new byte[32]), B64(new byte[32])));

    public static Task<HttpResponseMessage> Fail(TestUser user, string sessionId) => Api.PostJson(user.Http, $"/api/passphrase/sessions/{sessionId}/fail", new { });
}
