namespace Parley.Testing;

/// <summary>Reading a server's data folder while it runs, for tests that search every byte it keeps.</summary>
public static class ServerFile
{
    /// <summary>
    /// The file opened for reading, or null when it is gone: an ended upload's file is deleted on a pool thread after
    /// the request (`<data>/discarded`), so a listing can name a file that no longer exists when it is opened.
    /// </summary>
    public static FileStream? OpenIfPresent(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
