using System.Diagnostics;
using System.Text.Json;

namespace Parley.EndToEnd.Tests.Passphrase;

/// <summary>
/// A running <c>parley talk --json</c> of one user: the test types lines into its standard input
/// and reads its events (stdout) and status lines (stderr) as they come.
/// </summary>
internal sealed class TalkProcess : IDisposable
{
    private readonly Process _process;
    private readonly RunningCli _output;

    private TalkProcess(Process process)
    {
        _process = process;
        _output = new RunningCli(process);
    }

    public static TalkProcess Start(CliUser user, Uri server, params string[] args)
    {
        var environment = new Dictionary<string, string> { ["PARLEY_HOME"] = user.Home, ["PARLEY_SERVER"] = server.ToString() };
        return new TalkProcess(Process.Start(ParleyProgram.StartInfo(["talk", .. args, "--json"], environment))!);
    }

    /// <summary>The next <c>--json</c> event of this type; events of other types before it are skipped.</summary>
    public Task<JsonElement> NextEventAsync(string type) => _output.WaitForJsonAsync(e => e.GetProperty("type").GetString() == type);

    public Task<string> StatusAsync(string startingWith) => _output.WaitForStderrAsync(line => line.StartsWith(startingWith, StringComparison.Ordinal));

    public async Task TypeAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Ends standard input, as Ctrl+D does at a terminal.</summary>
    public void EndInput() => _process.StandardInput.Close();

    public async Task<int> ExitCodeAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(ParleyProgram.Patience);
        return _process.ExitCode;
    }

    public void Dispose() => _output.Dispose();
}
