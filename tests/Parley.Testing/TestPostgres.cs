using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Parley.Testing;

/// <summary>
/// One throwaway PostgreSQL cluster per test process: <c>initdb</c> under a temp folder (as the
/// <c>postgres</c> user when the tests run as root, since initdb refuses root), a free loopback port,
/// no system service. Each caller gets its own database in it. The cluster is stopped and its folder
/// removed when the test process exits. Needs the Debian <c>postgresql</c> package
/// (<c>scripts/install-test-deps</c> installs it).
/// </summary>
public sealed class TestPostgres
{
    private static readonly Lazy<Task<TestPostgres>> Shared = new(StartAsync);

    private readonly string _folder;
    private readonly string _bin;

    private TestPostgres(string folder, string bin, int port)
    {
        _folder = folder;
        _bin = bin;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The cluster of this test process, started on first use.</summary>
    public static Task<TestPostgres> InstanceAsync() => Shared.Value;

    /// <summary>Connection string of the database <paramref name="name"/>, created if it does not exist yet.</summary>
    public async Task<string> DatabaseAsync(string name)
    {
        await using (var admin = new NpgsqlConnection(ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", admin);
            exists.Parameters.AddWithValue("name", name);
            if (await exists.ExecuteScalarAsync() is null)
                await new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin).ExecuteNonQueryAsync();
        }
        return ConnectionString(name);
    }

    /// <summary>Drops the database of <paramref name="connectionString"/>, closing its sessions: a server that loses its database.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var admin = new NpgsqlConnection(ConnectionString("postgres"));
        await admin.OpenAsync();
        await new NpgsqlCommand($"DROP DATABASE \"{name}\" WITH (FORCE)", admin).ExecuteNonQueryAsync();
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>A database named after a key (e.g. a data folder), so a restarted server finds the same database.</summary>
    public Task<string> DatabaseForAsync(string key) =>
        DatabaseAsync("parley_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..20]);

    /// <summary>Short idle lifetime: many test servers come and go, and their idle pooled connections should not pile up.</summary>
    private string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Connection Idle Lifetime=2;Connection Pruning Interval=1";

    private static async Task<TestPostgres> StartAsync()
    {
        var bin = FindBinaries();
        var asRoot = Environment.UserName == "root";
        await RemoveAbandonedClustersAsync(bin, asRoot);
        var folder = Path.Combine(Path.GetTempPath(), $"{FolderPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(folder);
        if (asRoot) await RunAsync("chown", ["postgres:postgres", folder], asPostgres: false);
        var port = FreePorts.Next();
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", Path.Combine(folder, "db"), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"], asRoot);
        // Durability is pointless for a cluster thrown away after the run; turning it off keeps the suite fast.
        var settings = $"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400";
        await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(folder, "db"), "-o", settings, "-l", Path.Combine(folder, "log"), "-w", "start"], asRoot);
        var cluster = new TestPostgres(folder, bin, port);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.Stop(asRoot);
        return cluster;
    }

    private void Stop(bool asRoot)
    {
        NpgsqlConnection.ClearAllPools();
        StopClusterAsync(_bin, _folder, asRoot).GetAwaiter().GetResult();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static Task StopClusterAsync(string bin, string folder, bool asRoot) =>
        RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", Path.Combine(folder, "db"), "-m", "immediate", "stop"], asRoot);

    private const string FolderPrefix = "parley-pg-";

    /// <summary>
    /// A test process that was killed (or whose exit handler was cut short) leaves its folder behind; the
    /// folder names its process id, so the next run stops and removes the clusters whose process is gone.
    /// </summary>
    private static async Task RemoveAbandonedClustersAsync(string bin, bool asRoot)
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var owner = Path.GetFileName(folder)[FolderPrefix.Length..].Split('-')[0];
            if (!int.TryParse(owner, out var pid) || IsRunning(pid)) continue;
            if (File.Exists(Path.Combine(folder, "db", "postmaster.pid")))
            {
                try { await StopClusterAsync(bin, folder, asRoot); } catch (InvalidOperationException) { }
            }
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string FindBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        return versions.Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
            .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var major) ? major : 0)
            .FirstOrDefault()
            ?? throw new InvalidOperationException("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); run scripts/install-test-deps.");
    }

    private static async Task RunAsync(string program, string[] arguments, bool asPostgres)
    {
        var start = asPostgres
            ? new ProcessStartInfo("su", ["postgres", "-s", "/bin/sh", "-c", string.Join(' ', new[] { program }.Concat(arguments).Select(Quote))])
            : new ProcessStartInfo(program, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        // pg_ctl's server keeps the inherited pipes open, so read them to the end only for commands that exit with their output.
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {await error}");
    }

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''") + "'";
}
