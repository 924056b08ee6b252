using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Parley.Bench.Broadcast;

/// <summary>The results as markdown: where and when they were measured, then one table per question.</summary>
internal sealed class Report
{
    private readonly StringBuilder _text = new();

    public Report(string title)
    {
        _text.AppendLine($"# {title}").AppendLine();
        _text.AppendLine($"- date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        _text.AppendLine($"- machine: {Environment.ProcessorCount} logical CPUs (`nproc`), {CpuModel()}, {RuntimeInformation.OSDescription}");
        _text.AppendLine($"- runtime: {RuntimeInformation.FrameworkDescription}");
        _text.AppendLine($"- load average (1, 5, 15 min) when the run started: {LoadAverage()}");
        _text.AppendLine("- rerun: `dotnet run -c Release --project bench/Parley.Bench.Broadcast`").AppendLine();
    }

    public void Section(string heading, string note, string[] columns, IEnumerable<string[]> rows)
    {
        _text.AppendLine($"## {heading}").AppendLine().AppendLine(note).AppendLine();
        _text.AppendLine($"| {string.Join(" | ", columns)} |");
        _text.AppendLine($"|{string.Concat(columns.Select(_ => "---|"))}");
        foreach (var row in rows) _text.AppendLine($"| {string.Join(" | ", row)} |");
        _text.AppendLine();
    }

    public string Render() => _text.ToString();

    public static string Number(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>The machine may be shared: how busy it was says how far the figures fall short of an idle machine's.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string CpuModel()
    {
        const string prefix = "model name";
        var line = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) : null;
        return line is null ? "CPU model unknown" : line[(line.IndexOf(':') + 1)..].Trim();
    }
}
