using Parley.Cli.Session;

namespace Parley.Cli.Transfer;

/// <summary>Failures of <c>send FILE</c> and <c>fetch</c> that happen on this machine, as codes and sentences instead of stack traces.</summary>
internal static class TransferErrors
{
    /// <summary>A local file could not be read or written.</summary>
    public const string FileError = "client.file_error";

    /// <summary>The connection broke off mid-transfer; running the same command again continues.</summary>
    public const string Interrupted = "client.interrupted";

    /// <summary>An option that only applies to files, given with words that name none.</summary>
    public const string NotAFile = "client.not_a_file";

    public static async Task<T> TranslateAsync<T>(Func<Task<T>> transfer)
    {
        try
        {
            return await transfer();
        }
        catch (HttpIOException e)
        {
            throw new CliException(Interrupted, $"The connection broke off ({e.Message}); run the same command again to continue where it stopped.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(FileError, e.Message);
        }
    }
}
