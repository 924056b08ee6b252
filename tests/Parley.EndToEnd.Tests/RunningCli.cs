using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Parley.EndToEnd.Tests;

/// <summary>A long-running <c>parley</c> process whose output lines a test reads as they come.</summary>
internal sealed class RunningCli : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _stdout = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _stderr = Channel.CreateUnbounded<string>();
    private readonly List<string> _seen = [];

    public RunningCli(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Forward(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Forward(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Reads stdout until a <c>--json</c> line matches, skipping the others; fails after the program's patience.</summary>
    public Task<JsonElement> WaitForJsonAsync(Func<JsonElement, bool> match) =>
        WaitForAsync(_stdout, "stdout", line => JsonDocument.Parse(line).RootElement.Clone(), match);

    public Task<string> WaitForStderrAsync(Func<string, bool> match) => WaitForAsync(_stderr, "stderr", line => line, match);

    private async Task<T> WaitForAsync<T>(Channel<string> lines, string stream, Func<string, T> parse, Func<T, bool> match)
    {
        using var deadline = new CancellationTokenSource(ParleyProgram.Patience);
        try
        {
            while (true)
            {
                var line = await lines.Reader.ReadAsync(deadline.Token);
                lock (_seen) _seen.Add($"{stream}: {line}");
                var value = parse(line);
                if (match(value)) return value;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            string seen;
            lock (_seen) seen = string.Join('\n', _seen);
            throw new TimeoutException($"No matching line on {stream} (process {(_process.HasExited ? "exited" : "running")}). Lines read:\n{seen}");
        }
    }

    private static void Forward(Channel<string> lines, string? line)
    {
        if (line is null) lines.Writer.TryComplete();
        else lines.Writer.TryWrite(line);
    }

    public void Dispose()
    {
        ParleyProgram.Kill(_process);
        _process.Dispose();
    }
}
