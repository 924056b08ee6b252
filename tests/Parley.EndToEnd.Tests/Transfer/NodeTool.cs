using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;

namespace Parley.EndToEnd.Tests.Transfer;

/// <summary>Runs <c>node</c> and <c>npm</c> in the tus-js-client interop folder (tests/interop/tus-js).</summary>
internal static class NodeTool
{
    public static string TusJsFolder { get; } = Path.GetFullPath(typeof(NodeTool).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "TusJsFolder").Value!);

    /// <summary>Installs the pinned packages (package-lock.json) the first time; later runs find them in place.</summary>
    public static async Task EnsurePackagesAsync()
    {
        if (Directory.Exists(Path.Combine(TusJsFolder, "node_modules", "tus-js-client"))) return;
        var install = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
        Assert.True(install.ExitCode == 0, $"npm ci failed in {TusJsFolder}:\n{install.Output}");
    }

    public static Task<(int ExitCode, string Output)> NodeAsync(params string[] args) => RunAsync("node", args, TimeSpan.FromMinutes(1));

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] args, TimeSpan patience)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = TusJsFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{program}' cannot be started ({e.Message}): the tus-js-client interop test needs Node.js and npm; scripts/install-test-deps installs them.", e);
        }
        using (process)
        {
            try
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync().WaitAsync(patience);
                return (process.ExitCode, $"stdout: {await stdout}\nstderr: {await stderr}");
            }
            finally
            {
                ParleyProgram.Kill(process);
            }
        }
    }
}
