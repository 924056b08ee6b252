using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;

namespace Parley.Core.Passphrase;

/// <summary>
/// A one-time code such as <c>7-crossover-clockwork</c>, in the style of magic-wormhole: the number
/// names the server slot the session meets in, and the words are the passphrase. The first word
/// comes from the PGP list's three-syllable ("odd") words and the second from its two-syllable
/// ("even") words, as magic-wormhole does, so a swapped or dropped word is caught while parsing.
/// <para>
/// Two words from 256-word lists are only 16 bits. That is enough because SPAKE2 gives nothing to
/// guess offline, and a slot allows a single attempt: it dies after one failed exchange. An active
/// attacker's one guess succeeds with probability 2^-16; a wrong one ends the session for both users.
/// </para>
/// </summary>
public sealed class PassphraseCode
{
    public const int MinSlot = 1;
    public const int MaxSlot = 999_999_999;

    private const int MaxSlotDigits = 9;
    private const string Shape = "A code looks like 7-crossover-clockwork: a slot number and two words.";

    private static readonly FrozenSet<string> EvenWords = PgpWordList.Even.ToFrozenSet(StringComparer.Ordinal);
    private static readonly FrozenSet<string> OddWords = PgpWordList.Odd.ToFrozenSet(StringComparer.Ordinal);

    private PassphraseCode(int slot, string passphrase)
    {
        Slot = slot;
        Passphrase = passphrase;
    }

    /// <summary>The server slot the two parties meet in; not secret.</summary>
    public int Slot { get; }

    /// <summary>The secret words, lower case and joined by '-', e.g. <c>crossover-clockwork</c>.</summary>
    public string Passphrase { get; }

    /// <summary>The whole code to show or read out, e.g. <c>7-crossover-clockwork</c>.</summary>
    public override string ToString() => $"{Slot}-{Passphrase}";

    /// <summary>A fresh code for a slot the server allocated; the words come from a CSPRNG.</summary>
    public static PassphraseCode Generate(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slot, MinSlot);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(slot, MaxSlot);
        var odd = PgpWordList.Odd[RandomNumberGenerator.GetInt32(PgpWordList.Odd.Length)];
        var even = PgpWordList.Even[RandomNumberGenerator.GetInt32(PgpWordList.Even.Length)];
        return new PassphraseCode(slot, $"{odd}-{even}");
    }

    /// <summary>
    /// Reads a code as a person typed it: case and surrounding whitespace are ignored, and the parts
    /// may be separated by '-' or spaces. Throws <see cref="FormatException"/> saying what is wrong;
    /// the message never repeats the words, which are the secret.
    /// </summary>
    public static PassphraseCode Parse(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return TryParse(code, out var parsed, out var error) ? parsed : throw new FormatException(error);
    }

    public static bool TryParse([NotNullWhen(true)] string? code, [NotNullWhen(true)] out PassphraseCode? parsed) =>
        TryParse(code, out parsed, out _);

    private static bool TryParse(string? code, [NotNullWhen(true)] out PassphraseCode? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        var parts = (code ?? "").ToLowerInvariant().Split(['-', ' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3)
        {
            error = Shape;
            return false;
        }
        var (slotText, first, second) = (parts[0], parts[1], parts[2]);
        // NumberStyles.None: digits only, no sign, spaces or separators.
        if (slotText.Length > MaxSlotDigits || !int.TryParse(slotText, NumberStyles.None, CultureInfo.InvariantCulture, out var slot) || slot < MinSlot)
        {
            error = $"The slot number must be a whole number from {MinSlot} to {MaxSlot}. {Shape}";
            return false;
        }
        if (!OddWords.Contains(first) || !EvenWords.Contains(second))
        {
            error = EvenWords.Contains(first) && OddWords.Contains(second)
                ? "The two words are in the wrong order."
                : "A word of the code is not in the word list: check its spelling.";
            return false;
        }
        parsed = new PassphraseCode(slot, $"{first}-{second}");
        error = null;
        return true;
    }
}
