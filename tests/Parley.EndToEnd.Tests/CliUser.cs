using System.Diagnostics;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// One person at a terminal: their own <c>PARLEY_HOME</c> (session, device key, cursors) and the
/// server they talk to, running <c>parley</c> commands as separate processes.
/// </summary>
internal sealed class CliUser(string name, Uri server) : IDisposable
{
    public const string Password = "correct horse battery";

    private readonly List<RunningCli> _running = [];

    public string Name { get; } = name;

    public string Home { get; } = Path.Combine(Path.GetTempPath(), $"parley-e2e-home-{name}-{Guid.NewGuid():N}");

    private Dictionary<string, string> Environment => new() { ["PARLEY_HOME"] = Home, ["PARLEY_SERVER"] = server.ToString() };

    /// <summary>Registers (and so signs in and registers a device) with the password piped in.</summary>
    public Task<CliRun> RegisterAsync() => RunWithInputAsync(Password + "\n", "register", "--user", Name, "--password-stdin", "--json");

    public Task<CliRun> RunAsync(params string[] args) => RunWithInputAsync(stdin: "", args);

    public async Task<CliRun> RunWithInputAsync(string stdin, params string[] args)
    {
        using var process = Process.Start(ParleyProgram.StartInfo(args, Environment))!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            try
            {
                await process.StandardInput.WriteAsync(stdin);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The command ended without reading its input (it failed early); its exit code tells the story.
            }
            await process.WaitForExitAsync().WaitAsync(ParleyProgram.Patience);
            return new CliRun(args, process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            ParleyProgram.Kill(process);
        }
    }

    /// <summary>Starts a command that keeps running (<c>listen</c>); it is killed when this user is disposed, if not before.</summary>
    public RunningCli Start(params string[] args)
    {
        var running = new RunningCli(Process.Start(ParleyProgram.StartInfo(args, Environment))!);
        _running.Add(running);
        return running;
    }

    public void Dispose()
    {
        foreach (var running in _running) running.Dispose();
        try { Directory.Delete(Home, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
