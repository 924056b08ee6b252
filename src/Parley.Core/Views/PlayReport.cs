using System.Buffers.Binary;

namespace Parley.Core.Views;

/// <summary>What a report says, in flags.</summary>
[Flags]
public enum PlayReportFlags : byte
{
    None = 0,

    /// <summary>The player is playing (not paused, not buffering) at the time of the report.</summary>
    Playing = 1,

    /// <summary>The user moved the position since the previous report of this kind, so the position may jump.</summary>
    Seeked = 2,

    /// <summary>The last report of the play: playback reached the end or the user closed it.</summary>
    Ended = 4,
}

/// <summary>
/// A report's content, 26 bytes, all integers big-endian (docs/views.md, "Report layout"):
/// <code>
/// 0  u8   version (1)
/// 1  u8   flags (<see cref="PlayReportFlags"/>; other bits 0)
/// 2  u32  counter: 1 for the first report of its kind, then strictly increasing
/// 6  u64  bytes of this video downloaded in this play
/// 14 u32  playback position, milliseconds
/// 18 i64  client time, Unix milliseconds
/// </code>
/// Sent as is (plain) or sealed under the play key (<see cref="PlayKey.Seal(string, in PlayReport)"/>).
/// </summary>
public readonly record struct PlayReport(PlayReportFlags Flags, uint Counter, long BytesDownloaded, uint PositionMs, long ClientTimeMs)
{
    public const int Length = 26;
    public const byte Version = 1;

    private const PlayReportFlags KnownFlags = PlayReportFlags.Playing | PlayReportFlags.Seeked | PlayReportFlags.Ended;

    public void WriteTo(Span<byte> destination)
    {
        destination[0] = Version;
        destination[1] = (byte)Flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], Counter);
        BinaryPrimitives.WriteInt64BigEndian(destination[6..], BytesDownloaded);
        BinaryPrimitives.WriteUInt32BigEndian(destination[14..], PositionMs);
        BinaryPrimitives.WriteInt64BigEndian(destination[18..], ClientTimeMs);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Length];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>False when the bytes are not exactly one version-1 report with known flags, a counter of at least 1 and no negative byte count.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out PlayReport report)
    {
        report = default;
        if (source.Length != Length || source[0] != Version || ((PlayReportFlags)source[1] & ~KnownFlags) != 0) return false;
        var counter = BinaryPrimitives.ReadUInt32BigEndian(source[2..]);
        var bytes = BinaryPrimitives.ReadInt64BigEndian(source[6..]);
        if (counter == 0 || bytes < 0) return false;
        report = new((PlayReportFlags)source[1], counter, bytes, BinaryPrimitives.ReadUInt32BigEndian(source[14..]), BinaryPrimitives.ReadInt64BigEndian(source[18..]));
        return true;
    }
}
