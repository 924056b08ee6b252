using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Parley.Core.Rooms;
using Parley.Server.Accounts;
using Parley.Server.Storage;
using Parley.Testing;

namespace Parley.Bench.Messages;

/// <summary>
/// `parley serve` as its own process (the parley.dll built beside this benchmark), on a fresh SQLite data folder or
/// PostgreSQL database, with members, sessions and two rooms written straight into its database: signing up a
/// thousand accounts through PBKDF2 is not what is measured. Rate limits are lifted (one sender posts hundreds a second).
/// </summary>
internal sealed class ParleyProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ParleyProcess(Process process, Uri address) => (_process, Address) = (process, address);

    public Uri Address { get; }

    public int Pid => _process.Id;

    /// <summary>Memory once started and seeded, before any connection.</summary>
    public (double Rss, double Peak) IdleMemory { get; set; }

    /// <param name="parleyDll">Another build's parley.dll (e.g. main before a change) instead of the one beside the benchmark.</param>
    public static async Task<ParleyProcess> StartAsync(string? postgres, string dataFolder, string? parleyDll = null)
    {
        var port = FreePorts.Next();
        var address = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { parleyDll ?? Path.Combine(AppContext.BaseDirectory, "parley.dll"), "serve", "--urls", address.ToString().TrimEnd('/'), "--data", dataFolder })
            start.ArgumentList.Add(argument);
        if (postgres is not null) start.Environment["Parley__Storage__ConnectionString"] = postgres;
        foreach (var (name, value) in new[] { ("MessagesPerSecond", "1000000"), ("MessageBurst", "1000000"), ("RequestsPerSecond", "1000000"), ("RequestBurst", "1000000") })
            start.Environment[$"Parley__Rates__{name}"] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("parley: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = address };
        for (var waited = Stopwatch.StartNew(); ; await Task.Delay(200))
        {
            if (process.HasExited) throw new InvalidOperationException($"parley serve exited with {process.ExitCode}.");
            if (waited.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("parley serve did not become ready.");
            try
            {
                if ((await http.GetAsync("healthz/ready")).IsSuccessStatusCode) break;
            }
            catch (HttpRequestException)
            {
            }
        }
        return new ParleyProcess(process, address);
    }

    /// <summary>VmRSS and VmHWM of the server process, in MiB.</summary>
    public (double Rss, double Peak) Memory()
    {
        var status = File.ReadAllLines($"/proc/{Pid}/status");
        double Field(string name) => double.Parse(status.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        return (Field("VmRSS"), Field("VmHWM"));
    }

    /// <summary>User + system CPU time the server process has used.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

/// <summary>Members with signed-in sessions and two rooms: the first <see cref="Small"/> members in one, everybody in the other.</summary>
internal sealed record Seeded(string[] Tokens, string[] UserIds, string SmallRoom, string LargeRoom, string? Store, string DataFolder)
{
    public const int Small = 20;

    public static async Task<Seeded> WriteAsync(string? postgres, string dataFolder, int members)
    {
        await using var db = Context(postgres, dataFolder);
        var now = DateTimeOffset.UtcNow;
        var tokens = new string[members];
        var users = Enumerable.Range(0, members).Select(i => new User
        {
            Id = Ids.New("u"), UserName = $"member{i}", PasswordHash = "not used: sessions are written directly", CreatedAt = now,
        }).ToArray();
        db.Users.AddRange(users);
        for (var i = 0; i < members; i++)
        {
            tokens[i] = SessionTokens.NewToken();
            db.Sessions.Add(new Session
            {
                Id = Ids.New("s"), TokenHash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(tokens[i])), UserId = users[i].Id,
                CreatedAt = now, ExpiresAt = now.AddDays(1),
            });
        }
        var small = new Room { Id = Ids.New("r"), Name = "twenty", Kind = RoomKind.Group, CreatedBy = users[0].Id, CreatedAt = now };
        var large = new Room { Id = Ids.New("r"), Name = "everyone", Kind = RoomKind.Group, CreatedBy = users[0].Id, CreatedAt = now };
        db.Rooms.AddRange(small, large);
        db.RoomMembers.AddRange(users.Take(Small).Select(u => new RoomMember { RoomId = small.Id, UserId = u.Id, JoinedAt = now }));
        db.RoomMembers.AddRange(users.Select(u => new RoomMember { RoomId = large.Id, UserId = u.Id, JoinedAt = now }));
        await db.SaveChangesAsync();
        return new Seeded(tokens, [.. users.Select(u => u.Id)], small.Id, large.Id, postgres, dataFolder);
    }

    public static ParleyDbContext Context(string? postgres, string dataFolder) => postgres is null
        ? new SqliteParleyDbContext(SqliteOptions(dataFolder))
        : new PostgresParleyDbContext(PostgresOptions(postgres));

    /// <summary>Contexts leased from a pool, as the server's requests lease them (StorageSetup).</summary>
    public static Func<ParleyDbContext> Pool(string? postgres, string dataFolder)
    {
        if (postgres is null) return new PooledDbContextFactory<SqliteParleyDbContext>(SqliteOptions(dataFolder)).CreateDbContext;
        return new PooledDbContextFactory<PostgresParleyDbContext>(PostgresOptions(postgres)).CreateDbContext;
    }

    private static DbContextOptions<SqliteParleyDbContext> SqliteOptions(string dataFolder) =>
        new DbContextOptionsBuilder<SqliteParleyDbContext>().UseSqlite($"Data Source={Path.Combine(dataFolder, "parley.db")}")
            .AddInterceptors(new SqliteBusyTimeout(TimeSpan.FromSeconds(30))).Options;

    private static DbContextOptions<PostgresParleyDbContext> PostgresOptions(string postgres) =>
        new DbContextOptionsBuilder<PostgresParleyDbContext>().UseNpgsql(postgres).Options;
}
