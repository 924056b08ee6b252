namespace Parley.Core.Scanning;

/// <summary>A run of bytes in a file: where it starts and how long it is.</summary>
public readonly record struct ByteRange(long Start, long Length)
{
    public long End => Start + Length;
}
