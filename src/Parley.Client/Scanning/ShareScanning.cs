using Parley.Core.Scanning.Structure;

namespace Parley.Client.Scanning;

/// <summary>
/// What the first detection of every share needs on this device (docs/scanning.md, "The client side"): the device
/// key that signs local security identifiers, the device's copy of the server's feature library, and optionally where
/// recent shares are remembered for rescanning after a library update. Set it on <see cref="ParleyClient.Scanning"/>.
/// </summary>
/// <remarks>The key stays its owner's: this object never disposes it, so it must outlive the shares made with it.</remarks>
public sealed class ShareScanning(DeviceKey key, LocalFeatureStore library)
{
    /// <summary>The key of the device the client's token was issued for: the server verifies identifiers with its public half.</summary>
    public DeviceKey Key { get; } = key;

    public LocalFeatureStore Library { get; } = library;

    /// <summary>Where each successful share is remembered (path, content id, identifier); null remembers nothing.</summary>
    public IRecentShareStore? RecentShares { get; init; }

    public ScanLimits? Limits { get; init; }

    /// <summary>The clock of the identifiers' "signed at".</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
