using Microsoft.Extensions.DependencyInjection;
using Parley.Server.Storage;
using Parley.Testing;

namespace Parley.Server.Tests.Storage;

public sealed class UploadLockTests
{
    [Fact]
    public async Task An_upload_has_one_writer_at_a_time_on_every_node()
    {
        await using var first = await RunningServer.StartAsync();
        // On PostgreSQL the lock lives in the database, so a second node on the same database is held off too;
        // a SQLite data folder belongs to one process, whose own lock is the whole story.
        await using var second = RunningServer.Store == StoreProvider.Postgres ? await RunningServer.StartAsync(dataDirectory: first.DataDirectory) : first;
        var locksHere = first.Services.GetRequiredService<IUploadLocks>();
        var locksThere = second.Services.GetRequiredService<IUploadLocks>();

        var held = await locksHere.TryAcquireAsync("up_one", CancellationToken.None);
        Assert.NotNull(held);
        Assert.Null(await locksThere.TryAcquireAsync("up_one", CancellationToken.None));
        Assert.Null(await locksHere.TryAcquireAsync("up_one", CancellationToken.None));
        await using (var other = await locksThere.TryAcquireAsync("up_two", CancellationToken.None)) Assert.NotNull(other);

        await held!.DisposeAsync();
        await using var next = await locksThere.TryAcquireAsync("up_one", CancellationToken.None);
        Assert.NotNull(next);
    }
}
