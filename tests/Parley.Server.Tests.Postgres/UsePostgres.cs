using System.Runtime.CompilerServices;
using Parley.Server.Storage;
using Parley.Testing;

namespace Parley.Server.Tests;

internal static class UsePostgres
{
    /// <summary>Runs when this assembly loads, before any test starts a server: every server here runs on PostgreSQL.</summary>
#pragma warning disable CA2255 // A test assembly's one-time setting is what module initializers are for.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Choose() => RunningServer.Store = StoreProvider.Postgres;
}
