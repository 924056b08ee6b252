using Parley.Core.Problems;

namespace Parley.Client.Tests;

public sealed class AccountTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Registering_and_signing_in_keeps_the_token_and_identifies_the_user()
    {
        var client = fixture.NewClient();
        var name = ServerFixture.UniqueName("Alice");

        var user = await client.RegisterAsync(name, ServerFixture.Password);
        var session = await client.SignInAsync(name, ServerFixture.Password);
        var me = await client.GetMeAsync();

        Assert.Equal(name.ToLowerInvariant(), user.UserName);
        Assert.Equal(session.Token, client.Token);
        Assert.Equal((user.Id, user.UserName, (string?)null), (me.UserId, me.UserName, me.DeviceId));
        Assert.True(session.ExpiresAt > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_wrong_password_is_refused()
    {
        var alice = await fixture.NewUserAsync("alice");
        var client = fixture.NewClient();

        await ApiAssert.Refused(401, ProblemCodes.AuthInvalidCredentials, () => client.SignInAsync(alice.Name, "not the password"));
        Assert.Null(client.Token);
    }

    [Fact]
    public async Task A_taken_name_cannot_be_registered_again()
    {
        var alice = await fixture.NewUserAsync("alice");

        await ApiAssert.Refused(409, ProblemCodes.AccountNameTaken,
            () => fixture.NewClient().RegisterAsync(alice.Name.ToUpperInvariant(), "another password"));
    }

    [Fact]
    public async Task A_signed_out_token_stops_working_at_once()
    {
        var alice = await fixture.NewUserAsync("alice");
        var token = alice.Client.Token;

        await alice.Client.SignOutAsync();

        Assert.Null(alice.Client.Token);
        await ApiAssert.Refused(401, ProblemCodes.AuthInvalidToken, () => fixture.NewClient(token).GetMeAsync());
    }

    [Fact]
    public async Task Calls_without_a_token_are_refused_as_unauthenticated()
    {
        await ApiAssert.Refused(401, ProblemCodes.AuthRequired, () => fixture.NewClient().ListRoomsAsync());
    }
}
