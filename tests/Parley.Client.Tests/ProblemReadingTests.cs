using System.Net;
using System.Text;
using Parley.Core.Problems;
using Parley.Core.Scanning;

namespace Parley.Client.Tests;

/// <summary>What the client makes of answers a real Parley server does not give: proxies, other servers, broken bodies.</summary>
public sealed class ProblemReadingTests
{
    private static ParleyClient ClientAnswering(HttpStatusCode status, string body, string mediaType) =>
        new(new Uri("http://parley.invalid"), handler: new CannedHandler(status, body, mediaType));

    [Fact]
    public async Task Problem_details_become_an_exception_with_their_code_title_and_detail()
    {
        using var client = ClientAnswering(HttpStatusCode.Conflict,
            """{"type":"x","title":"Account name taken","status":409,"detail":"The user name 'bob' is taken.","code":"account.name_taken"}""",
            "application/problem+json");

        var refusal = await Assert.ThrowsAsync<ParleyApiException>(() => client.RegisterAsync("bob", "password1"));

        Assert.Equal((409, ProblemCodes.AccountNameTaken, "Account name taken", "The user name 'bob' is taken."),
            (refusal.Status, refusal.Code, refusal.Title, refusal.Detail));
    }

    [Fact]
    public async Task Share_refusal_members_are_read_typed()
    {
        using var blocked = ClientAnswering(HttpStatusCode.UnprocessableEntity,
            """{"title":"Blocked","status":422,"code":"share.blocked","verdictId":"v_1","findings":[{"code":"clamav.match","detector":"clamav","detail":"Sig.X"},{"detector":"no code"},7]}""",
            "application/problem+json");
        using var stale = ClientAnswering(HttpStatusCode.Conflict, """{"status":409,"code":"share.identifier_stale","libraryVersion":5}""", "application/problem+json");
        using var odd = ClientAnswering(HttpStatusCode.Conflict, """{"code":"share.identifier_stale","libraryVersion":"5","findings":{"code":"x"}}""", "application/problem+json");

        var b = await Assert.ThrowsAsync<ParleyApiException>(() => blocked.ListRoomsAsync());
        var s = await Assert.ThrowsAsync<ParleyApiException>(() => stale.ListRoomsAsync());
        var o = await Assert.ThrowsAsync<ParleyApiException>(() => odd.ListRoomsAsync());

        Assert.Equal((ProblemCodes.ShareBlocked, "v_1"), (b.Code, b.VerdictId));
        Assert.Equal(new ScanFinding("clamav.match", "clamav", "Sig.X"), Assert.Single(b.Findings));
        Assert.Equal((ProblemCodes.ShareIdentifierStale, 5L), (s.Code, s.LibraryVersion));
        // Members of another shape are ignored, not a reason to lose the refusal.
        Assert.Equal((ProblemCodes.ShareIdentifierStale, null, 0), (o.Code, o.LibraryVersion, o.Findings.Count));
    }

    [Fact]
    public async Task A_failure_without_problem_details_gets_a_code_from_its_status()
    {
        using var client = ClientAnswering(HttpStatusCode.BadGateway, "<html><body>Bad gateway</body></html>", "text/html");

        var refusal = await Assert.ThrowsAsync<ParleyApiException>(() => client.ListRoomsAsync());

        Assert.Equal((502, "http.502"), (refusal.Status, refusal.Code));
        Assert.Contains("502", refusal.Detail);
    }

    [Fact]
    public async Task A_success_whose_body_is_not_the_promised_json_is_reported_as_an_invalid_response()
    {
        using var client = ClientAnswering(HttpStatusCode.OK, "<html>a login portal</html>", "text/html");

        var refusal = await Assert.ThrowsAsync<ParleyApiException>(() => client.GetMeAsync());

        Assert.Equal((200, ClientCodes.InvalidResponse), (refusal.Status, refusal.Code));
    }

    private sealed class CannedHandler(HttpStatusCode status, string body, string mediaType) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) =>
            Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) });
    }
}
