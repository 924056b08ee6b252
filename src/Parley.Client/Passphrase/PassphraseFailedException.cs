using Parley.Core.Problems;

namespace Parley.Client.Passphrase;

/// <summary>
/// A passphrase session ended without a connection, for both sides. <see cref="Code"/> is the
/// server's failure code: <c>passphrase.mismatch</c> (a wrong passphrase, or an exchange someone
/// altered), <c>passphrase.timeout_t1</c>, <c>passphrase.timeout_t2</c>.
/// </summary>
public sealed class PassphraseFailedException(string code) : Exception($"The passphrase session failed: {Describe(code)} ({code}).")
{
    public string Code { get; } = code;

    /// <summary>A few words for a person, e.g. "wrong passphrase".</summary>
    public string Reason => Describe(Code);

    public static string Describe(string code) => code switch
    {
        ProblemCodes.PassphraseMismatch => "wrong passphrase",
        ProblemCodes.PassphraseTimeoutT1 => "no answer in time",
        ProblemCodes.PassphraseTimeoutT2 => "not confirmed in time",
        _ => "the session ended",
    };
}
