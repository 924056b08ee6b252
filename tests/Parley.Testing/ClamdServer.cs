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
        var port = FreePorts.Next();
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

    /// <summary>
    /// Adds a signature file to the database and makes clamd reload it; returns once a scan of
    /// <paramref name="matchingSample"/> is answered with a match, so the new signatures are in force.
    /// </summary>
    /// <param name="fileName">A new file in the database (<c>x.ndb</c>, …) with <paramref name="lines"/> in ClamAV's format.</param>
    public async Task AddSignaturesAsync(string fileName, string lines, byte[] matchingSample)
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "db", fileName), lines.TrimEnd() + "\n");
        var reloading = await CommandAsync("zRELOAD\0"u8.ToArray());
        if (!reloading.StartsWith("RELOADING", StringComparison.Ordinal)) throw new InvalidOperationException($"clamd answered RELOAD with '{reloading}'.");
        var deadline = DateTime.UtcNow + Patience;
        var answer = "";
        // While it reloads, clamd answers scans with the old database (or not at all): ask until the answer shows the new one.
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            answer = await TryScanAsync(matchingSample);
            if (answer.EndsWith("FOUND", StringComparison.Ordinal)) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"clamd did not load {fileName}; its last answer was '{answer}'.");
    }

    private async Task<string> TryScanAsync(byte[] content)
    {
        try
        {
            var length = new byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, content.Length);
            return await CommandAsync([.. "zINSTREAM\0"u8, .. length, .. content, 0, 0, 0, 0]);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return e.Message;
        }
    }

    /// <summary>Sends one z-command and reads its NUL-terminated answer.</summary>
    private async Task<string> CommandAsync(byte[] command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", Port);
        var stream = client.GetStream();
        await stream.WriteAsync(command);
        var answer = new List<byte>();
        var buffer = new byte[256];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            answer.AddRange(buffer.AsSpan(0, read));
            if (answer[^1] == 0) break;
        }
        return Encoding.ASCII.GetString([.. answer]).TrimEnd('\0');
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
