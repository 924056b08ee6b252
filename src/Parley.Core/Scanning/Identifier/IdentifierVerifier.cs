using System.Security.Cryptography;
using Parley.Core.Transfer;

namespace Parley.Core.Scanning.Identifier;

/// <summary>What checking an identifier concluded; only <see cref="Valid"/> lets a share through.</summary>
public enum IdentifierStatus
{
    Valid,

    /// <summary>Not an identifier at all (wrong length, alphabet or format version).</summary>
    Malformed,

    /// <summary>The signature does not verify with the device's key.</summary>
    Forged,

    /// <summary>Genuinely signed, but for other bytes than those shared.</summary>
    OtherContent,

    /// <summary>Genuine and for these bytes, but checked against a library older than required, or signed too long ago (or in the future).</summary>
    Stale,
}

public sealed record IdentifierCheck(IdentifierStatus Status, string Detail, LocalSecurityIdentifier? Identifier)
{
    public bool IsValid => Status == IdentifierStatus.Valid;
}

/// <summary>
/// Verifies local security identifiers against a device's registered public key, the content id the
/// verifier computed itself, the oldest library version still acceptable, and a freshness window on
/// <see cref="TimeProvider"/>: at most <paramref name="maxAge"/> old, at most <paramref name="maxClockSkew"/> in the future.
/// </summary>
public sealed class IdentifierVerifier(TimeProvider time, TimeSpan maxAge, TimeSpan maxClockSkew)
{
    public IdentifierCheck Verify(string? text, string devicePublicKeyBase64, ContentId expected, long minimumLibraryVersion)
    {
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(devicePublicKeyBase64), out _);
        return Verify(text, key, expected, minimumLibraryVersion);
    }

    public IdentifierCheck Verify(string? text, ECDsa devicePublicKey, ContentId expected, long minimumLibraryVersion)
    {
        if (!LocalSecurityIdentifier.TryDecode(text, out var identifier))
            return new(IdentifierStatus.Malformed, $"The local security identifier is not {LocalSecurityIdentifier.EncodedLength} bytes of version {LocalSecurityIdentifier.FormatVersion} in base64url.", null);
        if (!devicePublicKey.VerifyData(identifier.SignedBytes(), identifier.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            return new(IdentifierStatus.Forged, "The local security identifier's signature does not verify with the device's key.", identifier);
        if (identifier.ContentId != expected)
            return new(IdentifierStatus.OtherContent, $"The local security identifier was made for {identifier.ContentId}, not for these bytes ({expected}).", identifier);
        if (identifier.LibraryVersion < minimumLibraryVersion)
            return new(IdentifierStatus.Stale, $"The file was checked against feature library version {identifier.LibraryVersion}; version {minimumLibraryVersion} or newer is required.", identifier);
        var now = time.GetUtcNow();
        if (identifier.SignedAt < now - maxAge)
            return new(IdentifierStatus.Stale, $"The local security identifier was signed at {identifier.SignedAt:O}, more than {maxAge} ago.", identifier);
        if (identifier.SignedAt > now + maxClockSkew)
            return new(IdentifierStatus.Stale, $"The local security identifier is dated {identifier.SignedAt:O}, in the future.", identifier);
        return new(IdentifierStatus.Valid, "The local security identifier is valid.", identifier);
    }
}
