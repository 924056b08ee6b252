using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Parley.Testing;

/// <summary>
/// A throwaway <c>clamd</c> on a free loopback port with only the signatures a test gives it (no official database,
/// no freshclam, no internet), in a temp folder; killed on dispose. <c>scripts/install-test-deps</c> installs
/// Debian's <c>clamav-daemon</c> when it is missing.
/// </summary>
public sealed class ClamdServer : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly string _directory;

    private ClamdServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>What <c>Parley:Scanning:Clamd</c> takes.</summary>
    public string Address => $"tcp://127.0.0.1:{Port}";

    /// <param name="signatures">File name (<c>x.ndb</c>, <c>x.hsb</c>, …) → its lines, in ClamAV's formats.</param>
    /// <param name="streamMaxBytes">clamd's StreamMaxLength: larger INSTREAM uploads are refused.</param>
    public static async Task<ClamdServer> StartAsync(IReadOnlyDictionary<string, string> signatures, long streamMaxBytes = 25 << 20)
    {
        var directory = Directory.CreateTempSubdirectory("parley-clamd-").FullName;
        var database = Directory.CreateDirectory(Path.Combine(directory, "db")).FullName;
        foreach (var (name, lines) in signatures) await File.WriteAllTextAsync(Path.Combine(database, name), lines.TrimEnd() + "\n");
        var port = RunningServer.FreePort();
        var config = Path.Combine(directory, "clamd.conf");
        await File.WriteAllTextAsync(config, string.Join('\n',
            $"DatabaseDirectory {database}", $"TCPSocket {port}", "TCPAddr 127.0.0.1", "Foreground yes", "User root",
            $"StreamMaxLength {streamMaxBytes}", "SelfCheck 0", $"LogFile {directory}/clamd.log", $"PidFile {directory}/clamd.pid",
            $"TemporaryDirectory {directory}") + "\n");
        Process process;
        try
        {
            process = Process.Start(new ProcessStartInfo(File.Exists("/usr/sbin/clamd") ? "/usr/sbin/clamd" : "clamd") { ArgumentList = { "-c", config }, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("clamd is not installed; run scripts/install-test-deps.", e);
        }
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clamd = new ClamdServer(process, directory, port);
        await clamd.WaitUntilReadyAsync();
        return clamd;
    }

    /// <summary>Ready when it answers zPING with PONG.</summary>
    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                var stream = client.GetStream();
                await stream.WriteAsync("zPING\0"u8.ToArray());
                var answer = new byte[5];
                var read = await stream.ReadAsync(answer);
                if (Encoding.ASCII.GetString(answer, 0, read).StartsWith("PONG", StringComparison.Ordinal)) return;
            }
            catch (SocketException)
            {
                // Not listening yet.
            }
            await Task.Delay(50);
        }
        var log = Path.Combine(_directory, "clamd.log");
        var why = File.Exists(log) ? await File.ReadAllTextAsync(log) : "no log";
        await DisposeAsync();
        throw new TimeoutException($"clamd did not answer on port {Port}: {why}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
