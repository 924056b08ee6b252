using System.Diagnostics;

namespace Parley.EndToEnd.Tests;

/// <summary>The built <c>parley</c> program beside the tests, started as <c>dotnet parley.dll …</c>.</summary>
internal static class ParleyProgram
{
    /// <summary>How long one command may take before the test gives up on it; generous for a loaded CI machine (three servers starting at once on two cores take tens of seconds).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "parley.dll");

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        // Without its runtimeconfig the host cannot tell which frameworks parley needs and refuses to start it.
        var runtimeConfig = Path.ChangeExtension(Dll, ".runtimeconfig.json");
        Assert.True(File.Exists(Dll) && File.Exists(runtimeConfig), $"parley.dll and its runtimeconfig should be built beside the tests, in {AppContext.BaseDirectory}.");

        // The SDK names the dotnet it runs the tests with; the same one runs parley.
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return start;
    }

    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(Patience);
        }
        catch (InvalidOperationException)
        {
            // It was never started or has already been reaped: nothing to stop.
        }
    }
}
