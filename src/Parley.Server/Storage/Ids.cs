using System.Security.Cryptography;

namespace Parley.Server.Storage;

/// <summary>
/// Random, prefixed ids (<c>r_k3x9…</c>): 80 bits from the CSPRNG, so ids cannot be guessed or
/// enumerated, and the prefix tells a room id from a user id when one is pasted in the wrong place.
/// </summary>
public static class Ids
{
    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public static string New(string prefix)
    {
        Span<char> chars = stackalloc char[16];
        RandomNumberGenerator.GetItems(Alphabet, chars);
        return string.Concat(prefix, "_", chars);
    }
}
