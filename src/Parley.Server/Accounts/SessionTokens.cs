using System.Buffers.Text;
using System.Security.Cryptography;

namespace Parley.Server.Accounts;

/// <summary>
/// Bearer tokens are 256 random bits (<c>pt_</c> + base64url). The server keeps only their SHA-256,
/// which is enough to look a token up and useless to anyone who reads the database.
/// </summary>
public static class SessionTokens
{
    private const string Prefix = "pt_";

    public static string NewToken() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Hashes a presented token; tokens of the wrong shape are refused before any lookup.</summary>
    public static bool TryHash(string? token, out byte[] hash)
    {
        hash = [];
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 100) return false;
        hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));
        return true;
    }
}
