namespace Parley.EndToEnd.Tests;

public sealed class UnreachableServerTests
{
    [Fact]
    public async Task A_server_that_is_not_there_is_reported_as_unreachable_not_as_a_crash()
    {
        var nowhere = new Uri($"http://127.0.0.1:{FreePorts.Next()}/");
        using var alice = new CliUser("alice", nowhere);

        var json = await alice.RegisterAsync();
        var human = await alice.RunWithInputAsync(CliUser.Password + "\n", "login", "--user", "alice", "--password-stdin");

        json.FailedWith("client.unreachable");
        Assert.Equal(1, human.ExitCode);
        Assert.StartsWith("error: Cannot reach the server", human.StdErr);
        Assert.DoesNotContain("   at ", human.StdErr);
    }
}
