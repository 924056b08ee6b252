using System.Diagnostics.CodeAnalysis;

namespace Parley.Core.Accounts;

/// <summary>What a user name and a password must look like.</summary>
public static class AccountRules
{
    public const int MinNameLength = 3;
    public const int MaxNameLength = 32;
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 256;

    /// <summary>
    /// User names are case-insensitive: they are compared and stored in lower case, made of
    /// ASCII letters, digits, '_', '.', '-', starting with a letter or digit. Keeping them ASCII
    /// rules out look-alike names built from other scripts.
    /// </summary>
    public static bool TryNormalizeUserName(string? raw, [NotNullWhen(true)] out string? normalized)
    {
        normalized = null;
        if (raw is null) return false;
        var name = raw.Trim().ToLowerInvariant();
        if (name.Length is < MinNameLength or > MaxNameLength) return false;
        if (!char.IsAsciiLetterOrDigit(name[0])) return false;
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '.' or '-')) return false;
        }
        normalized = name;
        return true;
    }

    public static bool IsAcceptablePassword(string? password) =>
        password is { Length: >= MinPasswordLength and <= MaxPasswordLength };
}
