using System.Diagnostics.Metrics;
using System.Net;
using Parley.Server.Hosting;

namespace Parley.Server.Accounts;

/// <summary>
/// Failed sign-ins by reason, on a meter and in the security log (<see cref="SecurityLog.Category"/>): a rise in
/// <c>wrong_password</c> at one account is a guessing attack, in <c>unknown_user</c> a scan for names.
/// </summary>
public sealed class AccountMetrics
{
    public const string Name = "Parley.Accounts";

    public enum SignInFailure { UnknownUser, WrongPassword, Throttled }

    private readonly Counter<long> _failures;
    private readonly ILogger _security;

    public AccountMetrics(IMeterFactory meters, ILoggerFactory logs)
    {
        _failures = meters.Create(Name).CreateCounter<long>("parley.accounts.sign_in_failures", "{attempt}",
            "Refused sign-ins by reason: unknown_user, wrong_password, throttled (the account's failure limit).");
        _security = logs.CreateLogger(SecurityLog.Category);
    }

    public void SignInFailed(SignInFailure reason, string userName, IPAddress? client)
    {
        var name = ReasonName(reason);
        _failures.Add(1, new KeyValuePair<string, object?>("reason", name));
        _security.SignInFailed(userName, client?.ToString(), name);
    }

    public static string ReasonName(SignInFailure reason) => reason switch
    {
        SignInFailure.UnknownUser => "unknown_user",
        SignInFailure.WrongPassword => "wrong_password",
        _ => "throttled",
    };
}
