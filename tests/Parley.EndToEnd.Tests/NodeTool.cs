using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;

namespace Parley.EndToEnd.Tests;

/// <summary>What a <c>node</c> or <c>npm</c> run printed, and how it ended.</summary>
internal sealed record NodeRun(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit code {ExitCode}\nstdout: {StdOut}\nstderr: {StdErr}";
}

/// <summary>Runs <c>node</c> and <c>npm</c> in one of the interop folders under tests/interop, each a package with pinned dependencies.</summary>
internal sealed class NodeTool(string folderName, string marker)
{
    private static readonly string InteropFolder = Path.GetFullPath(typeof(NodeTool).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "InteropFolder").Value!);

    /// <summary>tus-js-client, the reference tus client (tests/interop/tus-js).</summary>
    public static NodeTool TusJs { get; } = new("tus-js", "tus-js-client");

    /// <summary>openapi-typescript, openapi-fetch and TypeScript, to generate a client from the OpenAPI document (tests/interop/openapi-client).</summary>
    public static NodeTool OpenApiClient { get; } = new("openapi-client", "openapi-fetch");

    public string Folder { get; } = Path.Combine(InteropFolder, folderName);

    /// <summary>Installs the pinned packages (package-lock.json) the first time; later runs find them in place.</summary>
    public async Task EnsurePackagesAsync()
    {
        if (Directory.Exists(Path.Combine(Folder, "node_modules", marker))) return;
        var install = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
        Assert.True(install.ExitCode == 0, $"npm ci failed in {Folder}:\n{install}");
    }

    public Task<NodeRun> NodeAsync(params string[] args) => NodeAsync(TimeSpan.FromMinutes(1), args);

    public Task<NodeRun> NodeAsync(TimeSpan patience, params string[] args) => RunAsync("node", args, patience);

    private async Task<NodeRun> RunAsync(string program, string[] args, TimeSpan patience)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = Folder,
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
                $"'{program}' cannot be started ({e.Message}): the interop tests need Node.js and npm; scripts/install-test-deps installs them.", e);
        }
        using (process)
        {
            try
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync().WaitAsync(patience);
                return new NodeRun(process.ExitCode, await stdout, await stderr);
            }
            finally
            {
                ParleyProgram.Kill(process);
            }
        }
    }
}
