namespace Parley.Server.Transfer;

/// <summary>
/// Test-only: when the environment variable <c>PARLEY_TEST_HALT_AT</c> names one of these points, the
/// transfer flow writes <c>halted at &lt;point&gt;</c> to stderr on reaching it and makes no more
/// progress, so the crash test (tests/Parley.EndToEnd.Tests/Transfer/CrashTests.cs) can SIGKILL the
/// server exactly there instead of guessing with timing. Unset, each point is a no-op.
/// </summary>
public static class TransferHaltPoints
{
    public const string Variable = "PARLEY_TEST_HALT_AT";

    /// <summary>The last byte of an upload is recorded; verification has not started.</summary>
    public const string UploadComplete = "upload-complete";

    /// <summary>Verification is under way: the bytes were read and checked, nothing is stored yet.</summary>
    public const string Verifying = "verifying";

    /// <summary>A chunk is written to its temporary file and not yet renamed into place.</summary>
    public const string ChunkWrite = "chunk-write";

    private static readonly string? HaltAt = Environment.GetEnvironmentVariable(Variable);

    public static Task Reached(string point)
    {
        if (HaltAt != point) return Task.CompletedTask;
        Console.Error.WriteLine($"halted at {point}");
        return Task.Delay(Timeout.Infinite);
    }
}
