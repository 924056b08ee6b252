using System.Globalization;

namespace Parley.Cli.Transfer;

/// <summary>Sizes as people read and type them.</summary>
internal static class ByteSizes
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB"];

    /// <summary><c>1.2 MiB</c>: powers of 1024 like the progress bars and <c>--limit-rate</c>, one decimal once past bytes.</summary>
    public static string Format(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} B" : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + Units[unit];
    }

    /// <summary>
    /// A rate as <c>curl --limit-rate</c> takes it: bytes, or a number with K, M or G (powers of 1024), e.g. <c>500K</c>, <c>2M</c>, <c>1.5M</c>.
    /// </summary>
    public static bool TryParseRate(string text, out long bytesPerSecond)
    {
        bytesPerSecond = 0;
        text = text.Trim();
        if (text.Length == 0) return false;
        var multiplier = char.ToUpperInvariant(text[^1]) switch
        {
            'K' => 1024L,
            'M' => 1024L * 1024,
            'G' => 1024L * 1024 * 1024,
            _ => 1L,
        };
        var number = multiplier == 1 ? text : text[..^1];
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) return false;
        var bytes = value * multiplier;
        if (bytes is < 1 or > long.MaxValue / 2) return false;
        bytesPerSecond = (long)bytes;
        return true;
    }
}
