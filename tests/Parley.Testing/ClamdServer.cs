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
    private readonly LocalDaemon _daemon;

    private ClamdServer(LocalDaemon daemon) => _daemon = daemon;

    public int Port => _daemon.Port;

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
        var daemon = LocalDaemon.Start(File.Exists("/usr/sbin/clamd") ? "/usr/sbin/clamd" : "clamd", directory, port, ["-c", config]);
        // Ready when it answers zPING with PONG.
        await daemon.WaitUntilAnswersAsync("zPING\0"u8.ToArray(), "PONG", Patience, async () =>
        {
            var log = Path.Combine(directory, "clamd.log");
            return File.Exists(log) ? await File.ReadAllTextAsync(log) : "no log";
        });
        return new ClamdServer(daemon);
    }

    /// <summary>
    /// Adds a signature file to the database and makes clamd reload it; returns once a scan of
    /// <paramref name="matchingSample"/> is answered with a match, so the new signatures are in force.
    /// </summary>
    /// <param name="fileName">A new file in the database (<c>x.ndb</c>, …) with <paramref name="lines"/> in ClamAV's format.</param>
    public async Task AddSignaturesAsync(string fileName, string lines, byte[] matchingSample)
    {
        await File.WriteAllTextAsync(Path.Combine(_daemon.Directory, "db", fileName), lines.TrimEnd() + "\n");
        var reloading = await CommandAsync("zRELOAD\0"u8.ToArray());
        if (!reloading.StartsWith("RELOADING", StringComparison.Ordinal)) throw new InvalidOperationException($"clamd answered RELOAD with '{reloading}'.");
        var deadline = DateTime.UtcNow + Patience;
        var answer = "";
        // While it reloads, clamd answers scans with the old database (or not at all): ask until the answer shows the new one.
        while (DateTime.UtcNow < deadline && !_daemon.HasExited)
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

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();
}
