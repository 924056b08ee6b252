using Parley.Core.Scanning.Features;

namespace Parley.Client.Scanning;

/// <summary>
/// The device's copy of the server's feature library: one file in Parley's text format
/// (<see cref="FeatureText"/>), replaced atomically, so a crash mid-update leaves the previous version.
/// A missing file is the empty library (version 0): the first update fetches everything.
/// </summary>
public sealed class LocalFeatureStore(string path)
{
    public string Path { get; } = path;

    /// <exception cref="FeatureFormatException">The file is damaged; the line number says where.</exception>
    public FeatureLibrary Load() =>
        File.Exists(Path) ? FeatureText.ParseLibrary(File.ReadAllText(Path)) : FeatureLibrary.Empty;

    public void Save(FeatureLibrary library)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        var temporary = Path + ".tmp";
        File.WriteAllText(temporary, FeatureText.Write(library));
        File.Move(temporary, Path, overwrite: true);
    }

    /// <summary>Brings the stored library up to <paramref name="delta"/>'s version and returns it (unchanged if already there).</summary>
    /// <exception cref="InvalidOperationException">The delta starts after the stored version: fetch the changes since it instead.</exception>
    public FeatureLibrary Apply(FeatureDelta delta)
    {
        var current = Load();
        var updated = current.Apply(delta);
        if (!ReferenceEquals(updated, current)) Save(updated);
        return updated;
    }
}
