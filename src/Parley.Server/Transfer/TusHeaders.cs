using System.Security.Cryptography;
using System.Text;
using Parley.Core.Transfer;

namespace Parley.Server.Transfer;

/// <summary>
/// Parsers of the tus 1.0.0 request headers. Each one accepts exactly what the protocol allows and
/// answers false (or leaves a key out) for anything else; none throws, whatever the input.
/// </summary>
public static class TusHeaders
{
    /// <summary>Tus-Resumable: exactly the one version this server speaks.</summary>
    public static bool IsSupportedVersion(string? header) => header == TusProtocol.Version;

    /// <summary>Upload-Length and Upload-Offset: a non-negative decimal integer, digits only (no sign, space or separator).</summary>
    public static bool TryParseSize(string? header, out long value)
    {
        value = 0;
        if (string.IsNullOrEmpty(header) || header.Length > 19) return false;
        foreach (var c in header)
            if (!char.IsAsciiDigit(c)) return false;
        return long.TryParse(header, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Upload-Metadata: comma-separated "key base64value" pairs (or a bare key); a pair with a malformed value is left out.</summary>
    public static Dictionary<string, string> ParseMetadata(string? header)
    {
        var pairs = new Dictionary<string, string>();
        foreach (var pair in (header ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split(' ', 2);
            if (parts.Length == 1)
            {
                pairs.TryAdd(parts[0], "");
                continue;
            }
            var bytes = new byte[parts[1].Length];
            // A malformed value is as good as absent; the caller says which key it needed.
            if (Convert.TryFromBase64String(parts[1], bytes, out var written)) pairs.TryAdd(parts[0], Encoding.UTF8.GetString(bytes, 0, written));
        }
        return pairs;
    }

    /// <summary>Upload-Checksum: "sha1 &lt;base64&gt;" or "sha256 &lt;base64&gt;"; absent is fine (a null hash).</summary>
    public static bool TryParseChecksum(string? header, out IncrementalHash? hash, out byte[] expected)
    {
        hash = null;
        expected = [];
        if (string.IsNullOrEmpty(header)) return true;
        var parts = header.Split(' ', 2);
        var (algorithm, length) = parts[0] switch { "sha1" => (HashAlgorithmName.SHA1, 20), "sha256" => (HashAlgorithmName.SHA256, 32), _ => (default, 0) };
        if (length == 0 || parts.Length != 2) return false;
        var digest = new byte[parts[1].Length];
        if (!Convert.TryFromBase64String(parts[1], digest, out var written) || written != length) return false;
        expected = digest[..written];
        hash = IncrementalHash.CreateHash(algorithm);
        return true;
    }
}
