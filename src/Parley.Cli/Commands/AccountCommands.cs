using System.CommandLine;
using Parley.Cli.Output;
using Parley.Cli.Session;
using Parley.Client;
using Parley.Core.Problems;
using Spectre.Console;

namespace Parley.Cli.Commands;

/// <summary><c>register</c>, <c>login</c>, <c>logout</c>, <c>token</c>: the account and session of this install.</summary>
public static class AccountCommands
{
    public static IEnumerable<Command> Create() => [Register(), Login(), Logout(), Token()];

    private static Command Register()
    {
        var (user, passwordStdin) = CredentialOptions();
        var command = new Command("register", "Create an account, sign in, and register this install as a device.") { user, passwordStdin };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            var password = PasswordReader.Read(parse.GetValue(passwordStdin), confirm: true);
            using var client = cli.AnonymousClient();
            await client.RegisterAsync(parse.GetValue(user)!, password, ct);
            var me = await SignInFlow.SignInAsync(cli, client, parse.GetValue(user)!, password, ct);
            cli.Output.Result(me, m => AnsiConsole.MarkupLine(
                $"Registered [bold]{HumanText.Escape(m.UserName)}[/] on {Markup.Escape(cli.Server.ToString())} and signed in (device {m.DeviceId})."));
        });
    }

    private static Command Login()
    {
        var (user, passwordStdin) = CredentialOptions();
        var command = new Command("login", "Sign in; the first time on this install it also registers a device key.") { user, passwordStdin };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            var password = PasswordReader.Read(parse.GetValue(passwordStdin), confirm: false);
            using var client = cli.AnonymousClient();
            var me = await SignInFlow.SignInAsync(cli, client, parse.GetValue(user)!, password, ct);
            cli.Output.Result(me, m => AnsiConsole.MarkupLine(
                $"Signed in as [bold]{HumanText.Escape(m.UserName)}[/] on {Markup.Escape(cli.Server.ToString())} (device {m.DeviceId})."));
        });
    }

    private static Command Logout()
    {
        var command = new Command("logout", "Sign out: the server revokes the token and this install forgets it.");
        return command.WithClientAction(async (cli, _, ct) =>
        {
            var session = cli.RequireSession();
            using var client = cli.SignedInClient();
            try
            {
                await client.SignOutAsync(ct);
            }
            catch (ParleyApiException e) when (e.Code == ProblemCodes.AuthInvalidToken)
            {
                // Already expired or revoked elsewhere: the goal, no valid token here, is reached all the same.
            }
            cli.Home.DeleteSession();
            cli.Output.Result(new SignOutResult(session.UserName), s => Console.WriteLine($"Signed out {HumanText.Clean(s.SignedOut)}."));
        });
    }

    private static Command Token()
    {
        var command = new Command("token", "Print the bearer token of the current session (for curl and other tools).");
        return command.WithClientAction((cli, _, _) =>
        {
            cli.Output.Result(new BearerToken(cli.RequireSession().Token), t => Console.WriteLine(t.Token));
            return Task.CompletedTask;
        });
    }

    private static (Option<string> User, Option<bool> PasswordStdin) CredentialOptions() =>
    (
        new Option<string>("--user") { Description = "User name.", Required = true },
        new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input instead of prompting." }
    );

    private sealed record SignOutResult(string SignedOut);

    private sealed record BearerToken(string Token);
}
