namespace Parley.Testing;

/// <summary>
/// Seeded inputs for parser property tests of base64 fields: values around the valid ones (right
/// and wrong decoded lengths, unpadded, URL-safe, with whitespace, cut short), junk, non-ASCII, null.
/// </summary>
public static class Base64Fuzz
{
    /// <param name="length">The decoded length the field expects; about a quarter of the values have it.</param>
    public static string? Around(Random random, int length)
    {
        var bytes = new byte[random.Next(4) == 0 ? length : random.Next(0, length * 2 + 2)];
        random.NextBytes(bytes);
        var base64 = Convert.ToBase64String(bytes);
        return random.Next(9) switch
        {
            0 => base64.TrimEnd('='),
            1 => base64.Replace('+', '-').Replace('/', '_'),
            2 => base64.Insert(random.Next(base64.Length + 1), random.Next(2) == 0 ? " " : "\n"),
            3 => new string(Enumerable.Range(0, random.Next(0, 120)).Select(_ => (char)random.Next(0x20, 0x7f)).ToArray()),
            4 => string.Concat(Enumerable.Range(0, random.Next(1, 20)).Select(_ => char.ConvertFromUtf32(random.Next(0xA0, 0xD7FF)))),
            5 => null,
            6 => base64.Length > 0 ? base64[..random.Next(base64.Length)] : "=",
            _ => base64,
        };
    }

    /// <summary>The reference decoder the docs describe: standard base64 with padding (.NET's, which also skips whitespace).</summary>
    public static bool TryDecode(string? value, out byte[] bytes)
    {
        bytes = [];
        if (value is null) return false;
        var buffer = new byte[value.Length];
        if (!Convert.TryFromBase64String(value, buffer, out var written)) return false;
        bytes = buffer[..written];
        return true;
    }
}
