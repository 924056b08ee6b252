using System.Net;
using System.Text;
using Parley.Core.Problems;

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
