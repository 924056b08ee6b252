using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Parley.Bench.Passphrase;

/// <summary>The results as markdown: the machine first, then one table per question.</summary>
internal sealed class Report
{
    private readonly StringBuilder _text = new();

    public Report()
    {
        _text.AppendLine("# Passphrase sessions: benchmark");
        _text.AppendLine();
        _text.AppendLine($"- date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        _text.AppendLine($"- machine: {Environment.ProcessorCount} logical CPUs (`nproc`), {CpuModel()}, {RuntimeInformation.OSDescription}");
        _text.AppendLine($"- runtime: {RuntimeInformation.FrameworkDescription}, server and clients in one process over loopback (Kestrel, SQLite, SignalR)");
        _text.AppendLine($"- load average when the run started: {LoadAverage()} (a shared machine: other work only ever slows a figure down)");
        _text.AppendLine("- rerun: `dotnet run -c Release --project bench/Parley.Bench.Passphrase`");
    }

    public void Section(string title, string note, string[] header, IEnumerable<string[]> rows)
    {
        _text.AppendLine().AppendLine($"## {title}").AppendLine();
        if (note.Length > 0) _text.AppendLine(note).AppendLine();
        _text.AppendLine("| " + string.Join(" | ", header) + " |");
        _text.AppendLine("|" + string.Concat(header.Select((_, i) => i == 0 ? "---|" : "---:|")));
        foreach (var row in rows) _text.AppendLine("| " + string.Join(" | ", row) + " |");
    }

    public void Paragraph(string text) => _text.AppendLine().AppendLine(text);

    public override string ToString() => _text.ToString();

    public static string Rate(double perSecond) => perSecond.ToString(perSecond >= 100 ? "N0" : "N1", CultureInfo.InvariantCulture) + "/s";

    public static string Duration(TimeSpan time) => time.TotalMilliseconds switch
    {
        >= 10 => time.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture) + " ms",
        >= 0.1 => time.TotalMilliseconds.ToString("N2", CultureInfo.InvariantCulture) + " ms",
        _ => time.TotalMicroseconds.ToString("N1", CultureInfo.InvariantCulture) + " µs",
    };

    public static string Ratio(double value) => value.ToString(value >= 10 ? "N0" : "N1", CultureInfo.InvariantCulture) + "×";

    private static string LoadAverage()
    {
        const string loadAverage = "/proc/loadavg";
        return File.Exists(loadAverage) ? string.Join(", ", File.ReadAllText(loadAverage).Split(' ').Take(3)) : "unknown";
    }

    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        var line = File.Exists(cpuInfo) ? File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
        return line is null ? "CPU model unknown" : line[(line.IndexOf(':') + 1)..].Trim();
    }
}
