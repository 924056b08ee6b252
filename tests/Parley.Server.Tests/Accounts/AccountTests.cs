using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Accounts;
using Parley.Core.Problems;
using Parley.Testing;

namespace Parley.Server.Tests.Accounts;

public sealed class AccountTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Api _api = fixture.Api;
    private HttpClient Anonymous => fixture.Server.CreateHttpClient();

    [Fact]
    public async Task Registered_user_signs_in_and_sees_who_they_are()
    {
        var user = await _api.NewUserWithoutDevice();

        var me = await Api.Read<MeDto>(await user.Http.GetAsync("/api/me"));

        Assert.Equal(user.Id, me.UserId);
        Assert.Equal(user.Name, me.UserName);
        Assert.Null(me.DeviceId);
    }

    [Fact]
    public async Task User_names_are_case_insensitive_and_unique()
    {
        var name = Api.UniqueName("Case");
        var created = await Api.Read<UserDto>(await Api.PostJson(Anonymous, "/api/accounts", new RegisterRequest(name.ToUpperInvariant(), Api.Password)), HttpStatusCode.Created);
        Assert.Equal(name.ToLowerInvariant(), created.UserName);

        await Api.AssertProblem(await Api.PostJson(Anonymous, "/api/accounts", new RegisterRequest(name.ToLowerInvariant(), Api.Password)),
            HttpStatusCode.Conflict, ProblemCodes.AccountNameTaken);
        Assert.Equal(1, await _api.InDatabase(db => db.Users.CountAsync(u => u.UserName == name.ToLowerInvariant())));
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("has space")]
    [InlineData("_leading")]
    [InlineData("ünïcode")]
    [InlineData("waytoolongwaytoolongwaytoolongxyz")]
    public async Task Bad_user_names_are_refused(string name) =>
        await Api.AssertProblem(await Api.PostJson(Anonymous, "/api/accounts", new RegisterRequest(name, Api.Password)),
            HttpStatusCode.BadRequest, ProblemCodes.AccountInvalidName);

    [Fact]
    public async Task Short_passwords_are_refused() =>
        await Api.AssertProblem(await Api.PostJson(Anonymous, "/api/accounts", new RegisterRequest(Api.UniqueName(), "short")),
            HttpStatusCode.BadRequest, ProblemCodes.AccountWeakPassword);

    [Fact]
    public async Task Wrong_password_and_unknown_user_get_the_same_answer()
    {
        var user = await _api.NewUser();

        await Api.AssertProblem(await Api.PostJson(Anonymous, "/api/sessions", new SignInRequest(user.Name, "wrong password!")),
            HttpStatusCode.Unauthorized, ProblemCodes.AuthInvalidCredentials);
        await Api.AssertProblem(await Api.PostJson(Anonymous, "/api/sessions", new SignInRequest(Api.UniqueName("ghost"), Api.Password)),
            HttpStatusCode.Unauthorized, ProblemCodes.AuthInvalidCredentials);
    }

    [Fact]
    public async Task Passwords_and_tokens_are_stored_only_as_hashes()
    {
        var user = await _api.NewUser();

        var stored = await _api.InDatabase(db => db.Users.SingleAsync(u => u.Id == user.Id));
        Assert.DoesNotContain(Api.Password, stored.PasswordHash);
        Assert.StartsWith("AQAAAA", stored.PasswordHash); // ASP.NET Core Identity v3 format: PBKDF2 with a salt.

        var database = await fixture.Server.StoredBytesAsync();
        Assert.Equal(-1, database.AsSpan().IndexOf(Encoding.UTF8.GetBytes(user.Token)));
    }

    [Fact]
    public async Task Signing_out_revokes_the_token_at_once()
    {
        var user = await _api.NewUser();

        Assert.Equal(HttpStatusCode.NoContent, (await user.Http.DeleteAsync("/api/sessions/current")).StatusCode);

        await Api.AssertProblem(await user.Http.GetAsync("/api/me"), HttpStatusCode.Unauthorized, ProblemCodes.AuthInvalidToken);
    }

    [Fact]
    public async Task Signing_out_one_session_leaves_the_others()
    {
        var user = await _api.NewUser();
        var second = await _api.SignIn(user.Name);

        Assert.Equal(HttpStatusCode.NoContent, (await user.Http.DeleteAsync("/api/sessions/current")).StatusCode);

        var other = fixture.Server.CreateHttpClient();
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", second.Token);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/me")).StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("pt_forgedforgedforgedforgedforgedforgedforged")]
    [InlineData("not-even-our-format")]
    public async Task Requests_without_a_valid_token_are_refused(string? token)
    {
        var http = Anonymous;
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await http.GetAsync("/api/rooms");

        await Api.AssertProblem(response, HttpStatusCode.Unauthorized, token is null ? ProblemCodes.AuthRequired : ProblemCodes.AuthInvalidToken);
    }

    [Fact]
    public async Task Sessions_expire_after_their_configured_lifetime()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-22T12:00:00Z"));
        await using var server = await RunningServer.StartAsync(
            new Dictionary<string, string> { ["Parley:Sessions:Lifetime"] = "01:00:00" },
            configureServices: services => services.AddSingleton<TimeProvider>(clock));
        var user = await new Api(server).NewUser();

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, (await user.Http.GetAsync("/api/me")).StatusCode);

        clock.Advance(TimeSpan.FromMinutes(1));
        await Api.AssertProblem(await user.Http.GetAsync("/api/me"), HttpStatusCode.Unauthorized, ProblemCodes.AuthInvalidToken);
    }

    [Fact]
    public async Task Password_guessing_is_rate_limited()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:SignIn:PermitLimit"] = "3" });
        var http = server.CreateHttpClient();
        var guess = new SignInRequest("victim", "guess number n");

        for (var i = 0; i < 3; i++)
            await Api.AssertProblem(await Api.PostJson(http, "/api/sessions", guess), HttpStatusCode.Unauthorized, ProblemCodes.AuthInvalidCredentials);

        await Api.AssertProblem(await Api.PostJson(http, "/api/sessions", guess), HttpStatusCode.TooManyRequests, ProblemCodes.RateLimited);
    }
}
