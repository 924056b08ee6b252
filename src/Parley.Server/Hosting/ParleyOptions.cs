namespace Parley.Server.Hosting;

/// <summary>Server settings, bound from the "Parley" configuration section (appsettings, environment <c>Parley__…</c>, or command line).</summary>
public sealed class ParleyOptions
{
    public const string Section = "Parley";

    /// <summary>Folder for the SQLite database and the blob store; created on first start.</summary>
    public string DataDirectory { get; set; } = "parley-data";

    public LimitOptions Limits { get; set; } = new();
    public SignInOptions SignIn { get; set; } = new();
    public SessionOptions Sessions { get; set; } = new();
}

public sealed class LimitOptions
{
    /// <summary>Largest JSON request body accepted by the API; bigger bodies get 413 <c>request.too_large</c>.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    public int MaxMessageLength { get; set; } = Core.Messaging.MessageRules.DefaultMaxTextLength;
}

/// <summary>Rate limit on password checks (registration and sign-in), per client address.</summary>
public sealed class SignInOptions
{
    public int PermitLimit { get; set; } = 10;
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

public sealed class SessionOptions
{
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(30);
}
