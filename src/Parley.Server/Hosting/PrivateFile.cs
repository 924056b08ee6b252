namespace Parley.Server.Hosting;

/// <summary>Writes a secret so that only the server's own user can read it.</summary>
internal static class PrivateFile
{
    public static void Write(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, "");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
