using System.Runtime.InteropServices;

namespace Parley.Server.Hosting;

/// <summary>
/// The data folder holds the database, every blob and the node's keys: only the server's own user
/// may read it. On Unix the process's umask becomes 077, so everything created later (SQLite's
/// journal and WAL, blobs, keys) is owner-only from the start; a folder left by an older version or
/// loosened by hand is tightened on every start.
/// </summary>
public static class DataFolder
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Prepare(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        umask(0b000_111_111);
        Directory.CreateDirectory(path, OwnerOnlyFolder);
        Tighten(new DirectoryInfo(path));
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Tighten(DirectoryInfo folder)
    {
        if (folder.UnixFileMode != OwnerOnlyFolder) folder.UnixFileMode = OwnerOnlyFolder;
        foreach (var entry in folder.EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is not null) continue; // never follow a link out of the data folder
            if (entry is DirectoryInfo child) Tighten(child);
            else if (entry.UnixFileMode != OwnerOnlyFile) entry.UnixFileMode = OwnerOnlyFile;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern uint umask(uint mask);
}
