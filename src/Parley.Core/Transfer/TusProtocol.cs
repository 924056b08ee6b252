namespace Parley.Core.Transfer;

/// <summary>
/// The names of tus 1.0.0 (https://tus.io/protocols/resumable-upload) that the server and the .NET client share:
/// the one version spoken, the PATCH body's media type, and the headers.
/// </summary>
public static class TusProtocol
{
    public const string Version = "1.0.0";

    public const string OffsetContentType = "application/offset+octet-stream";

    public const string ResumableHeader = "Tus-Resumable";
    public const string VersionHeader = "Tus-Version";
    public const string ExtensionHeader = "Tus-Extension";
    public const string MaxSizeHeader = "Tus-Max-Size";
    public const string ChecksumAlgorithmHeader = "Tus-Checksum-Algorithm";
    public const string UploadLengthHeader = "Upload-Length";
    public const string UploadOffsetHeader = "Upload-Offset";
    public const string UploadMetadataHeader = "Upload-Metadata";
    public const string UploadChecksumHeader = "Upload-Checksum";
}
